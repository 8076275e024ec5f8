namespace Newsletter.Rendering;

/// <summary>
/// A mail rendered once, still holding merge tokens (see <see cref="MergeTokens"/>): what a send stores
/// and what <see cref="Personalizer"/> fills per recipient.
/// </summary>
public sealed record RenderedMail(string Subject, string Html, string Text, string Preheader);
