namespace Newsletter.Content;

/// <summary>A paragraph that holds only an image.</summary>
public sealed record ImageBlock(string Html, string Text, string Source, string Alt) : IssueBlock(Html, Text);
