using Microsoft.AspNetCore.Http;

namespace Newsletter.Authoring;

/// <summary>What the editor's send form posted, to show again beside its refusal.</summary>
/// <param name="When"><c>now</c> or <c>at</c>.</param>
public sealed record SendForm(IReadOnlyList<string> Lists, string When, string Date, string Time, string Zone, bool OverridePreflight)
{
    public const string DefaultZone = "UTC";

    public static SendForm Empty { get; } = new([], "now", "", "", DefaultZone, false);

    public static SendForm Of(IFormCollection form) => new(
        form["list"].Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).ToList(),
        form["when"].ToString() == "at" ? "at" : "now",
        form["date"].ToString().Trim(),
        form["time"].ToString().Trim(),
        form["zone"].ToString() is { Length: > 0 } zone ? zone : DefaultZone,
        form["override"].ToString() == "on");
}
