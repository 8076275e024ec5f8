using System.ComponentModel.DataAnnotations;

namespace Newsletter.Configuration;

/// <summary>The <c>Newsletter:Alerts</c> section: where operator alerts go and when a state is worth one.</summary>
public sealed class AlertsOptions
{
    public const string Section = "Newsletter:Alerts";

    /// <summary>One address that gets each alert by mail; unset, alerts are only logged (as warnings).</summary>
    [EmailAddress]
    public string? Email { get; set; }

    /// <summary>Minutes the relay must refuse connections before an alert: a restart of the relay is no news.</summary>
    [Range(1, 1440)]
    public int RelayUnreachableMinutes { get; set; } = 10;

    /// <summary>A send is slow when it has taken this many times its first estimated duration.</summary>
    [Range(1.1, 100.0)]
    public double SlowFactor { get; set; } = 2.0;
}
