using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Newsletter.Content;

/// <summary>
/// The metadata at the top of an issue file: YAML front matter between <c>---</c> lines, or leading
/// <c>Key: value</c> lines as Pelican and similar generators write them. Keys are case-insensitive and
/// ignore dashes, underscores and spaces, so <c>Sign-off</c>, <c>sign_off</c> and <c>signoff</c> agree.
/// </summary>
internal sealed partial class IssueMetadata
{
    // Metadata is flat; YamlDotNet builds its node tree by recursion, which a hostile nesting would overflow.
    private const int MaxYamlDepth = 16;

    private static readonly HashSet<string> KnownKeys =
        ["title", "date", "slug", "preheader", "summary", "subject", "author", "signoff"];

    private readonly Dictionary<string, (string Value, int Line)> _values = new(StringComparer.Ordinal);

    public string? Title => Get("title");
    public string? Slug => Get("slug");
    public string? Preheader => Get("preheader") ?? Get("summary");
    public string? Subject => Get("subject");
    public string? Author => Get("author");
    public IReadOnlyList<string> SignOff { get; private set; } = [];

    /// <summary>Lines the metadata took up; the Markdown body starts after them.</summary>
    public int LineCount { get; private set; }

    public DateOnly? ParseDate(string file)
    {
        if (!_values.TryGetValue("date", out var date))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd"];
        if (DateTime.TryParseExact(date.Value.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact)
            || DateTime.TryParse(date.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out exact))
        {
            return DateOnly.FromDateTime(exact);
        }

        throw new IssueFormatException(file, date.Line, $"date '{date.Value}' is not a date (write it as 2026-01-31)");
    }

    public static IssueMetadata Read(string[] lines, string file)
    {
        var metadata = new IssueMetadata();
        if (lines.Length > 0 && lines[0].TrimEnd() == "---")
        {
            metadata.ReadYaml(lines, file);
        }
        else
        {
            metadata.ReadKeyValueLines(lines);
        }

        return metadata;
    }

    private string? Get(string key) =>
        _values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.Value) ? v.Value.Trim() : null;

    private void ReadYaml(string[] lines, string file)
    {
        var end = Array.FindIndex(lines, 1, l => l.TrimEnd() is "---" or "...");
        if (end < 0)
        {
            throw new IssueFormatException(file, 1, "front matter starts with '---' but has no closing '---' line");
        }

        LineCount = end + 1;
        var text = string.Join('\n', lines[1..end]);
        var yaml = new YamlStream();
        try
        {
            CheckShape(text, file);
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YAML marks count from the first front-matter line; the file has the opening '---' above it.
            // An unclosed construct is noticed at the end of input: point at the last front-matter line.
            var line = Math.Min((int)e.Start.Line + 1, end);
            throw new IssueFormatException(file, line, "malformed front matter: " + YamlReason(e), e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some broken flow collections (": {\ns"), with no position.
            throw new IssueFormatException(file, 1, "malformed front matter: the YAML parser gave up without saying where", e);
        }

        if (yaml.Documents.Count == 0)
        {
            return;
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new IssueFormatException(file, 2, "front matter must be 'key: value' lines");
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = NormaliseKey(keyNode.ToString());
            var line = (int)keyNode.Start.Line + 1;
            switch (valueNode)
            {
                case YamlScalarNode scalar when key == "signoff":
                    SignOff = SplitLines(scalar.Value ?? "");
                    break;
                case YamlSequenceNode sequence when key == "signoff":
                    SignOff = sequence.Children.Select(c => c.ToString().Trim()).Where(c => c.Length > 0).ToList();
                    break;
                case YamlScalarNode scalar:
                    _values[key] = (scalar.Value ?? "", line);
                    break;
                default:
                    if (KnownKeys.Contains(key))
                    {
                        throw new IssueFormatException(file, line, $"front matter '{keyNode}' must be a single value");
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Walks the front matter's events before any tree is built: an alias could repeat a node a billion
    /// times ("billion laughs") when the values are read, and deep nesting would exhaust the stack.
    /// </summary>
    private static void CheckShape(string yaml, string file)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    throw new IssueFormatException(file, (int)alias.Start.Line + 1,
                        $"front matter uses the alias '*{alias.Value}': write the value out instead");
                case NodeEvent { Start: var start } and (MappingStart or SequenceStart) when ++depth > MaxYamlDepth:
                    throw new IssueFormatException(file, (int)start.Line + 1, $"front matter nests more than {MaxYamlDepth} levels deep");
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    private void ReadKeyValueLines(string[] lines)
    {
        var i = 0;
        for (; i < lines.Length; i++)
        {
            var match = KeyValueLine().Match(lines[i]);
            if (!match.Success)
            {
                break;
            }

            var key = NormaliseKey(match.Groups["key"].Value);
            // Only a known first key opens a metadata block, so an intro line like "Update: …" stays prose.
            if (i == 0 && !KnownKeys.Contains(key))
            {
                return;
            }

            var value = match.Groups["value"].Value;
            if (key == "signoff")
            {
                SignOff = value.Split(" / ").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            }
            else
            {
                _values[key] = (value, i + 1);
            }
        }

        // The metadata block ends at a blank line; anything else means these lines were prose after all.
        if (i > 0 && (i == lines.Length || string.IsNullOrWhiteSpace(lines[i])))
        {
            LineCount = i;
        }
        else
        {
            _values.Clear();
            SignOff = [];
        }
    }

    private static IReadOnlyList<string> SplitLines(string value) =>
        value.Split('\n').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    private static string NormaliseKey(string key) =>
        new string(key.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    private static string YamlReason(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        return MarkPrefix().Replace(message, "").Trim();
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9 _-]{0,30}):\s+(?<value>\S.*)$")]
    private static partial Regex KeyValueLine();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):")]
    private static partial Regex MarkPrefix();
}
