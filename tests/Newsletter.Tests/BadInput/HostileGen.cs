using System.Text;
using CsCheck;

namespace Newsletter.Tests.BadInput;

/// <summary>
/// Generators for the property tests: uniformly random input finds little in a parser, so most draws are
/// made of the fragments its grammar turns on (quotes, separators, line breaks, BOMs, bad bytes), shuffled.
/// </summary>
internal static class HostileGen
{
    private static readonly byte[][] CsvFragments =
    [
        .. new[]
        {
            "email", "Email Address", "name", "First Name", "Last Name", "status", "email_disabled", "CLEAN_TIME", "attributes", "city",
            ",", ",", ",", ";", "\t", "|", "\"", "\"", "\"\"", "\r\n", "\r\n", "\n", "\r", " ", "'", "'=", "=cmd", "\0",
            "ada@example.com", "A@EXAMPLE.COM", "grace@example.com", "x@y", "@", "<a@example.com>", "a@example.com, b@example.com",
            "unsubscribed", "cleaned", "true", "VIP", "Zoë", "名前", "\u2028",
            "{\"a\": 1}", "{\"n\": 1e200000}", "{\"z\": \"\\u0000\"}", "[1]", "{", "sep=;\r\n",
        }.Select(Encoding.UTF8.GetBytes),
        [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xFC], [0xC3], [0xE2, 0x82], [0xFF],
    ];

    private static readonly string[] IssueFragments =
    [
        "---\n", "---\n", "...\n", "title: ", "date: ", "slug: ", "signoff: ", "subject: ", "Title: ", "2026-01-31", "[2026, 1]",
        "&a ", "*a", "? ", ": ", "- ", "  ", "\t", "{", "}", "[", "]", "!!binary ", "%YAML 1.2\n", "\"", "'",
        "# ", "## ", "### ", "> ", ">>>> ", "* ", "1. ", "    ", "```\n", "|a|b|\n|-|-|\n", "→ Note: ", "> [!NOTE]\n",
        "[link](https://example.com)", "[x](javascript:alert(1))", "![i](data:image/png;base64,AA==)", "<script>", "</script>",
        "<iframe src=x>", "<a href=\"javascript:x\">", "*em*", "**", "_", "`", "\\", "&amp;", "&#0;", "\n", "\n", "\n\n", "\r\n", "\r",
        "\0", "\uFEFF", "\uFFFD", "\u2028", "\ud800", "Zoë ", "words ", "words ",
    ];

    /// <summary>Bytes that are mostly CSV, from fragments; one draw in five is plain random bytes.</summary>
    public static Gen<byte[]> Csv { get; } = Gen.Frequency(
        (4, Gen.Int[0, CsvFragments.Length - 1].Array[0, 60].Select(picks => picks.SelectMany(i => CsvFragments[i]).ToArray())),
        (1, Gen.Byte.Array[0, 300]));

    /// <summary>Text that is mostly an issue, from fragments; one draw in five is a random string.</summary>
    public static Gen<string> Issue { get; } = Gen.Frequency(
        (4, Gen.Int[0, IssueFragments.Length - 1].Array[0, 80].Select(picks => string.Concat(picks.Select(i => IssueFragments[i])))),
        (1, Gen.String[0, 300]));
}
