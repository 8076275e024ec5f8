using System.Globalization;
using Newsletter.Sending;

namespace Newsletter.Authoring;

/// <summary>
/// A send's figures as its page prints them, and as its JSON carries them for the script that refreshes the page:
/// <see cref="Fields"/> maps each element's <c>data-field</c> to its text.
/// </summary>
public sealed record SendFigures(string Status, bool Done, IReadOnlyDictionary<string, string> Fields)
{
    public static SendFigures Of(SendProgress progress)
    {
        var send = progress.Send;
        var fields = new Dictionary<string, string>
        {
            ["status"] = send.Status.Name(),
            ["reason"] = send.StatusReason ?? "",
            ["recipients"] = send.Recipients is { } count ? count.ToString("#,0", CultureInfo.InvariantCulture) : "not counted yet",
            ["rate"] = progress.Rate is { } rate ? $"{rate.ToString("0.#", CultureInfo.InvariantCulture)} msg/s" : "–",
            ["eta"] = progress.Eta is { } eta && send.Status == SendStatus.Sending ? Duration(eta) : "–",
            ["started"] = SendPages.Moment(send.StartedAt),
            ["finished"] = SendPages.Moment(send.FinishedAt),
        };
        foreach (var state in Enum.GetValues<DeliveryStatus>())
            fields[state.Name()] = progress.Count(state).ToString("#,0", CultureInfo.InvariantCulture);
        return new SendFigures(send.Status.Name(), send.Status is SendStatus.Finished or SendStatus.Cancelled, fields);
    }

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"about {(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalMinutes >= 1 ? $"about {span.Minutes} min {span.Seconds} s"
        : $"about {Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s";
}
