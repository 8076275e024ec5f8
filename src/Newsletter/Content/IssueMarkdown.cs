using Markdig;

namespace Newsletter.Content;

/// <summary>The Markdown dialect of issues: CommonMark with the GitHub extensions, shared by parsing and rendering.</summary>
public static class IssueMarkdown
{
    /// <summary>Thread-safe; build renderers from it with <c>Pipeline.Setup(renderer)</c>.</summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
}
