using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Alerts;

/// <summary>
/// Tells the operator: a warning in the log at once, and, when <see cref="AlertsOptions.Email"/> is set, one mail by
/// <see cref="AlertMailJob"/> on the transactional queue, so an alert never waits behind a bulk send and a relay
/// that is away only delays it.
/// </summary>
public sealed class OperatorAlerts(
    AlertStore store, IBackgroundJobClient jobs, IOptions<AlertsOptions> options, IOptions<NewsletterOptions> newsletter,
    ILogger<OperatorAlerts> logger)
{
    public const string SubjectPrefix = "Newsletter alert: ";

    /// <summary>A page of the app as a full address (under Newsletter:PublicUrl): the mail is read outside the app.</summary>
    public string Link(string path) => newsletter.Value.PublicUrl.TrimEnd('/') + path;

    /// <summary>Raises the alert unless its event was alerted before; returns whether it was raised.</summary>
    public async Task<bool> RaiseAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (await store.AddAsync(alert, cancellationToken) is not { } id)
            return false;
        logger.LogWarning("{Subject}. {Details}", SubjectPrefix + alert.Subject, alert.Body.ReplaceLineEndings(" "));
        if (options.Value.Email is not null)
            jobs.Enqueue<AlertMailJob>(job => job.RunAsync(id, CancellationToken.None));
        return true;
    }
}
