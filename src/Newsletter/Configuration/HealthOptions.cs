using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Health</c> section: how often <c>/healthz</c>'s background probes run.</summary>
public sealed class HealthOptions
{
    public const string Section = "Newsletter:Health";

    /// <summary>
    /// Seconds between probes of the relay and Hangfire; <c>/healthz</c> answers from the last one, so
    /// load on it never becomes load on the relay.
    /// </summary>
    [Range(1, 300)]
    public int ProbeSeconds { get; set; } = 5;
}
