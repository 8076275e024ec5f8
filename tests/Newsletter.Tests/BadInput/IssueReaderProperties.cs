using System.Text;
using CsCheck;
using Newsletter.Content;

namespace Newsletter.Tests.BadInput;

/// <summary>Any text, or any file, given to the issue reader gives an issue or an <see cref="IssueFormatException"/>, nothing else.</summary>
public sealed class IssueReaderProperties : IDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("issue-properties-");
    private readonly IssueReader _reader = new();

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public void AnyTextIsAnIssueOrTheDocumentedError() =>
        HostileGen.Issue.Sample(markdown =>
        {
            try
            {
                var issue = _reader.Parse(markdown, "any.md");
                Assert.False(string.IsNullOrWhiteSpace(issue.Title));
                Assert.Matches("^[a-z0-9-]+$", issue.Slug);
            }
            catch (IssueFormatException e)
            {
                Assert.StartsWith("any.md", e.Message);
            }
        }, iter: 20_000, print: Show);

    /// <summary>Files add the decoding: byte order marks, UTF-8 cut mid-character, bytes of other encodings.</summary>
    [Fact]
    public void AnyFileIsAnIssueOrTheDocumentedError() =>
        Gen.Select(HostileGen.Issue, Gen.Byte.Array[0, 8], Gen.Int[0, 3]).Sample((markdown, noise, bom) =>
        {
            var path = Path.Combine(_files.FullName, $"{Guid.NewGuid():N}.md");
            byte[] prefix = bom switch { 1 => [0xEF, 0xBB, 0xBF], 2 => [0xFF, 0xFE], 3 => [0xFE, 0xFF], _ => [] };
            File.WriteAllBytes(path, [.. prefix, .. Encoding.UTF8.GetBytes(markdown), .. noise]);
            try
            {
                _reader.ReadAsync(path).GetAwaiter().GetResult();
            }
            catch (IssueFormatException e)
            {
                Assert.StartsWith(path, e.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }, iter: 2_000);

    private static string Show(string markdown) =>
        string.Concat(markdown.Select(c => c < ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
