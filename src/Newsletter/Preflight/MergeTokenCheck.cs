using System.Text.RegularExpressions;
using Newsletter.Content;
using Newsletter.Rendering;

namespace Newsletter.Preflight;

/// <summary>
/// Merge tokens in the subject and both parts, as rendered once for a send: one the personaliser does not
/// know stays in the mail as written; a <c>{{name}}</c> without a fallback greets nameless readers with "there".
/// </summary>
public static partial class MergeTokenCheck
{
    public const string Name = "merge tokens";

    public static IEnumerable<PreflightLine> Check(IssueSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var tokens = new[] { sample.Rendered.Subject, sample.Rendered.Html, sample.Rendered.Text }
            .SelectMany(part => Token().Matches(part))
            .Select(match => (Text: match.Value, Field: MergeTokens.FieldOf(match.Groups["field"].ValueSpan), HasFallback: match.Groups["fallback"].Success))
            .DistinctBy(token => token.Text)
            .ToList();

        var unknown = tokens.Where(token => token.Field is null).Select(token => token.Text).ToList();
        if (unknown.Count > 0)
            yield return new PreflightLine(Name, PreflightVerdict.Fail,
                $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is no merge token" : "are no merge tokens")}: readers would see " +
                $"{(unknown.Count == 1 ? "it" : "them")} as written (known: {string.Join(", ", MergeTokenNames.All.Select(n => "{{" + n + "}}"))})",
                string.Join('\n', unknown));

        var bare = tokens.Where(token => token.Field == MergeField.Name && !token.HasFallback).Select(token => token.Text).ToList();
        if (bare.Count > 0)
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                $"{string.Join(", ", bare)} without a fallback: readers without a name get \"{MergeTokens.DefaultNameFallback}\"; " +
                "write {{name|…}} with the word they should get", string.Join('\n', bare));

        if (unknown.Count == 0 && bare.Count == 0)
            yield return new PreflightLine(Name, PreflightVerdict.Pass,
                tokens.Count == 0 ? "no merge tokens" : "every merge token is known, and every name has a fallback");
    }

    // Wider than the personaliser's own pattern on purpose: {{ First Name }} is what an author mistypes.
    [GeneratedRegex(@"\{\{\s*(?<field>[^{}|]*?)\s*(?:\|(?<fallback>[^{}]*))?\}\}")]
    private static partial Regex Token();
}
