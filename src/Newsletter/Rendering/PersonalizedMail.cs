namespace Newsletter.Rendering;

/// <summary>One recipient's copy: every merge token filled.</summary>
public sealed record PersonalizedMail(string Subject, string Html, string Text);
