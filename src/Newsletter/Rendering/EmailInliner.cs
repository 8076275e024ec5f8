using System.Text.RegularExpressions;
using PreMailer.Net.Downloaders;

namespace Newsletter.Rendering;

/// <summary>
/// Moves the templates' CSS into style attributes (many clients drop or ignore &lt;style&gt;), keeping
/// only the media queries in a &lt;style&gt; block, where clients that support them apply them.
/// </summary>
internal static partial class EmailInliner
{
    static EmailInliner()
    {
        // PreMailer downloads <link rel="stylesheet"> targets; a render must never reach the network.
        WebDownloader.SharedDownloader = new RefusingDownloader();
    }

    public static string Inline(string html)
    {
        var result = PreMailer.Net.PreMailer.MoveCssInline(
            html,
            removeStyleElements: true,
            stripIdAndClassAttributes: false,
            removeComments: true,
            preserveMediaQueries: true);
        // PreMailer copies CSS widths into width attributes as "600px"; Outlook only reads bare numbers.
        return PixelWidth().Replace(result.Html, "width=\"$1\"");
    }

    [GeneratedRegex("width=\"(\\d+)px\"")]
    private static partial Regex PixelWidth();

    private sealed class RefusingDownloader : IWebDownloader
    {
        public string DownloadString(Uri uri) => "";
    }
}
