namespace Newsletter.Preflight;

/// <summary>One finding of a preflight check.</summary>
/// <param name="Check">The check's short name, e.g. <c>size</c>, <c>links</c>, <c>dkim</c>.</param>
/// <param name="Detail">What the message refers to, one item a line: the links, the images, the rules that scored.</param>
/// <param name="Record">The DNS record to publish, for the sender checks.</param>
public sealed record PreflightLine(string Check, PreflightVerdict Verdict, string Message, string? Detail = null, DnsTxtRecord? Record = null);
