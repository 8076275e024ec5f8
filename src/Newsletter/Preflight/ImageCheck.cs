using AngleSharp.Html.Parser;

namespace Newsletter.Preflight;

/// <summary>
/// Images need alt text (screen readers, and clients that block images show it instead) and a width
/// attribute (Outlook on Windows ignores CSS widths and draws an image at its full size).
/// </summary>
public static class ImageCheck
{
    public const string Name = "images";

    public static IEnumerable<PreflightLine> Check(IssueSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var images = new HtmlParser().ParseDocument(sample.Html).QuerySelectorAll("img")
            .Select(img => (Source: img.GetAttribute("src") ?? "(no src)", Alt: img.GetAttribute("alt"), Width: img.GetAttribute("width")))
            .ToList();

        var noAlt = images.Where(img => string.IsNullOrWhiteSpace(img.Alt)).Select(img => img.Source).Distinct().ToList();
        if (noAlt.Count > 0)
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                $"{Count(noAlt.Count)} without alt text; describe each (![what it shows](…))", string.Join('\n', noAlt));

        var noWidth = images.Where(img => string.IsNullOrWhiteSpace(img.Width)).Select(img => img.Source).Distinct().ToList();
        if (noWidth.Count > 0)
            yield return new PreflightLine(Name, PreflightVerdict.Warn,
                $"{Count(noWidth.Count)} without a width attribute; Outlook draws them at full size. Put each image in a paragraph " +
                "of its own, or give an HTML <img> a width", string.Join('\n', noWidth));

        if (noAlt.Count == 0 && noWidth.Count == 0)
            yield return new PreflightLine(Name, PreflightVerdict.Pass,
                images.Count == 0 ? "no images" : $"{Count(images.Count)}, {(images.Count == 1 ? "with" : "each with")} alt text and a width");
    }

    private static string Count(int count) => $"{count} image{(count == 1 ? "" : "s")}";
}
