namespace Newsletter.Preflight;

/// <summary>Gmail clips an HTML part over about 102 KB behind a "view entire message" link, and the footer with the unsubscribe link goes with it.</summary>
public static class HtmlSizeCheck
{
    public const string Name = "size";
    public const int ClipBytes = 102 * 1024;

    /// <summary>From here on a small edit or a long name can tip the mail over the clip.</summary>
    public const int NearBytes = 90 * 1024;

    public static PreflightLine Check(IssueSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(sample.Html);
        var size = $"the HTML part is {bytes / 1024.0:0.0} KB";
        return bytes switch
        {
            > ClipBytes => new PreflightLine(Name, PreflightVerdict.Fail,
                $"{size}: Gmail clips it at 102 KB, hiding the rest and the unsubscribe link; shorten the issue"),
            > NearBytes => new PreflightLine(Name, PreflightVerdict.Warn, $"{size}, close to Gmail's 102 KB clip"),
            _ => new PreflightLine(Name, PreflightVerdict.Pass, $"{size}, under Gmail's 102 KB clip"),
        };
    }
}
