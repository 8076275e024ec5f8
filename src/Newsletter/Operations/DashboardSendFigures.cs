using System.Globalization;
using Newsletter.Sending;

namespace Newsletter.Operations;

/// <summary>
/// A send's figures as the dashboard's Sends pages print them, and as the JSON their script polls carries them:
/// <see cref="Fields"/> maps each element's <c>data-field</c> to its text.
/// </summary>
public sealed record DashboardSendFigures(string Status, bool Done, IReadOnlyDictionary<string, string> Fields)
{
    public static DashboardSendFigures Of(SendProgress progress)
    {
        var send = progress.Send;
        var fields = new Dictionary<string, string>
        {
            ["status"] = send.Status.Name(),
            ["reason"] = send.StatusReason ?? "",
            ["recipients"] = send.Recipients is { } count ? Number(count) : "not counted yet",
            ["rate"] = progress.Rate is { } rate ? $"{rate.ToString("0.#", CultureInfo.InvariantCulture)} msg/s" : "–",
            ["eta"] = progress.Eta is { } eta && send.Status == SendStatus.Sending ? Duration(eta) : "–",
            ["started"] = Moment(send.StartedAt),
            ["finished"] = Moment(send.FinishedAt),
        };
        foreach (var state in Enum.GetValues<DeliveryStatus>())
            fields[state.Name()] = Number(progress.Count(state));
        return new DashboardSendFigures(send.Status.Name(), send.Status is SendStatus.Finished or SendStatus.Cancelled, fields);
    }

    public static string Moment(DateTime? at) =>
        at is { } moment ? moment.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "–";

    public static string Number(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"about {(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalMinutes >= 1 ? $"about {span.Minutes} min {span.Seconds} s"
        : $"about {Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s";
}
