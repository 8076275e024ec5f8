using MimeKit;
using Newsletter.Rendering;

namespace Newsletter.Preflight;

/// <summary>
/// What the checks look at: the issue rendered once (merge tokens in place) and as one sample reader gets
/// it, down to the message the real builder makes, headers and DKIM signature included.
/// </summary>
/// <param name="Html">The sample reader's HTML part, tokens filled.</param>
public sealed record IssueSample(RenderedMail Rendered, string Html, MimeMessage Message);
