using System.Globalization;

namespace Newsletter.Sending;

/// <summary>A date and a time of day as a clock in a time zone shows them, turned into the UTC moment a send starts.</summary>
public static class LocalMoment
{
    /// <param name="date">As <c>yyyy-MM-dd</c>, what a date field posts.</param>
    /// <param name="time">As <c>HH:mm</c> (24-hour), what a time field posts.</param>
    /// <param name="timeZone">An IANA zone such as Europe/Berlin, or UTC.</param>
    /// <exception cref="SendRequestException">No date or time, not a date, a time or a known zone, or a time the zone's clocks skip.</exception>
    public static DateTime ToUtc(string date, string time, string timeZone)
    {
        if (string.IsNullOrWhiteSpace(date) || string.IsNullOrWhiteSpace(time))
            throw new SendRequestException("A send at a time needs a date and a time of day.");
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            throw new SendRequestException($"'{date}' is not a date as YYYY-MM-DD.");
        if (!TimeOnly.TryParseExact(time, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
            throw new SendRequestException($"'{time}' is not a time of day as HH:MM (24-hour), e.g. 08:30.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
            throw new SendRequestException($"'{timeZone}' is not a known IANA time zone, e.g. Europe/Berlin or America/New_York.");
        var local = day.ToDateTime(clock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
            throw new SendRequestException($"{day:yyyy-MM-dd} {clock:HH:mm} does not happen in {zone.Id}: the clocks skip it. Choose another time.");
        // An hour that happens twice (clocks going back) is taken in standard time, as TimeZoneInfo does.
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
