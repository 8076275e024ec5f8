namespace Newsletter.Tests.Api;

/// <summary>An <see cref="ApiServer"/> whose keys may make 5 requests a minute, to meet the rate limit quickly.</summary>
public sealed class ThrottledApiServer : ApiServer
{
    public const int RequestsPerMinute = 5;

    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Newsletter:Api:RequestsPerMinute"] = RequestsPerMinute.ToString(),
    };
}
