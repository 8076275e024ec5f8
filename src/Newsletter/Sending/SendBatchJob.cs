using Hangfire;
using Hangfire.Server;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Jobs;

namespace Newsletter.Sending;

/// <summary>
/// One batch of one send: claim rows (SKIP LOCKED, with a lease), send each over one pooled connection,
/// hand each outcome to the process's <see cref="OutcomeWriter"/>, then hand over to the next batch. A row
/// is marked sent only after the server's 250, so a crash re-sends at most what the relay accepted since
/// the writer's last flush, a few milliseconds' worth.
/// </summary>
public sealed class SendBatchJob(
    SendStore sends,
    DeliveryStore deliveries,
    OutcomeWriter writer,
    DeliveryMessages messages,
    SmtpConnectionPool pool,
    SendRateLimiter rateLimiter,
    FailureStreaks streaks,
    SendAlerts alerts,
    IBackgroundJobClient jobs,
    IOptions<SendingOptions> options,
    ILogger<SendBatchJob> logger)
{
    private const int RelayRetries = 8;
    private const int LastingFailureRetries = 2;
    private const int MaxDropsPerBatch = 5;

    [Queue(JobQueues.Bulk)]
    [AutomaticRetry(Attempts = RelayRetries, DelaysInSeconds = [2, 5, 10, 30, 60, 120, 300, 600])]
    public async Task RunAsync(long sendId, PerformContext? context, CancellationToken cancellationToken = default)
    {
        // Every line a batch writes carries its send (a scope, shown by Logging:Console:FormatterOptions:IncludeScopes).
        using var sendScope = logger.BeginScope("Send {SendId}", sendId);
        var settings = options.Value;
        var lease = TimeSpan.FromSeconds(settings.LeaseSeconds);
        var readAt = Environment.TickCount64;
        var state = await sends.GetBatchStateAsync(sendId, cancellationToken);
        writer.Observe(sendId, state.Status, readAt);
        if (state.Status != SendStatus.Sending)
            return;
        await writer.StartAsync(cancellationToken);

        // The connection first, the rows second: rows must not sit claimed waiting for a connection.
        var connection = await pool.RentAsync(cancellationToken);
        var inHand = new LeasedDeliveries(deliveries, sendId, lease, logger);
        var outcomes = new DeliveryOutcomes();
        var handOverAt = DateTime.UtcNow.AddSeconds(settings.BatchJobSeconds);
        try
        {
            // Claiming again in the same job spares a hand-over through Hangfire's queue (a poll
            // interval and a few state writes) every BatchSize messages.
            do
            {
                // No more rows than the hour still allows: the rest would only wait in hand.
                if (!await inHand.ClaimAsync(state.ListIds, Math.Min(settings.BatchSize, rateLimiter.LeftThisHour), cancellationToken))
                    break;

                var stop = await SendAsync(sendId, state.ListIds, inHand, connection, outcomes, settings, cancellationToken);
                // Paused, cancelled or pausing itself: what was not attempted goes back.
                await SettleAsync(sendId, outcomes, inHand, cancellationToken);
                if (stop is not null)
                {
                    streaks.Forget(sendId);
                    if (await sends.TrySetStatusAsync(sendId, SendStatus.Paused, stop, [SendStatus.Sending], cancellationToken))
                        // The pause is stored: a retry of this job would find the send paused and never raise it.
                        await alerts.PausedItselfAsync(sendId, stop, CancellationToken.None);
                    return;
                }
            }
            // The writer's flushes read the status as they record this batch's outcomes.
            while (DateTime.UtcNow < handOverAt && writer.StillSending(sendId));
        }
        catch (Exception e) when (e is not OperationCanceledException && IsConnectionFailure(e))
        {
            // Settling runs to the end even during a shutdown: the ledger must say what was accepted.
            await connection.DisconnectAsync(CancellationToken.None);
            await SettleAsync(sendId, outcomes, inHand, CancellationToken.None);
            var attempt = context?.GetJobParameter<int>("RetryCount") ?? 0;
            if (attempt >= (e is SmtpRelayException { Lasting: true } ? LastingFailureRetries : RelayRetries))
            {
                var reason = $"The SMTP relay failed {attempt + 1} times in a row: {e.Message}";
                if (await sends.TrySetStatusAsync(sendId, SendStatus.Paused, reason, [SendStatus.Sending], CancellationToken.None))
                    await alerts.PausedItselfAsync(sendId, reason, CancellationToken.None);
                return;
            }
            // Hangfire retries this job with a growing delay; the rows are pending again meanwhile.
            throw new SmtpRelayException($"Lost the SMTP relay during send {sendId}: {e.Message}", e);
        }
        catch
        {
            // A shutdown (or any other failure) mid-batch: what was accepted stays sent, the rest goes back.
            await SettleAsync(sendId, outcomes, inHand, CancellationToken.None);
            throw;
        }
        finally
        {
            await inHand.DisposeAsync();
            pool.Return(connection);
        }

        await ContinueAsync(sendId, cancellationToken);
    }

    /// <summary>Sends the rows in hand, removing each once attempted; returns why the send must pause, if it must.</summary>
    private async Task<string?> SendAsync(
        long sendId, long[] listIds, LeasedDeliveries inHand, SmtpConnection connection,
        DeliveryOutcomes outcomes, SendingOptions settings, CancellationToken cancellationToken = default)
    {
        var factory = await messages.ForAsync(sendId, cancellationToken);
        var consecutiveFailures = 0;
        var firstSent = true;
        var drops = 0;
        while (inHand.Count > 0)
        {
            // Pause and cancel take effect within one flush of the writer.
            if (!writer.StillSending(sendId))
                return null;
            var delivery = inHand.Next;
            if (writer.Withdrawn(delivery.SubscriberId, listIds))
            {
                outcomes.Skipped.Add(delivery.SubscriberId);
                inHand.Attempted();
                writer.Hand(sendId, outcomes);
                continue;
            }
            // The hour's budget spent: the rows go back, and the send goes on in the next hour (ContinueAsync).
            if (!await rateLimiter.WaitAsync(cancellationToken))
                return null;
            if (!inHand.IsHeld)
            {
                logger.LogWarning("Send {SendId}: the lease on {Count} claimed rows could not be renewed; leaving them to recovery",
                    sendId, inHand.Count);
                return null;
            }
            // From here on, what is logged is about this recipient.
            using var deliveryScope = logger.BeginScope("Delivery {SubscriberId}", delivery.SubscriberId);
            using var message = factory.Build(delivery);
            await connection.EnsureReadyAsync(cancellationToken);
            try
            {
                await connection.SendAsync(message, factory.EnvelopeSenderFor(delivery), cancellationToken);
                outcomes.Sent.Add((delivery.SubscriberId, DateTime.UtcNow));
                streaks.Succeeded(sendId);
                consecutiveFailures = 0;
                if (firstSent)
                {
                    await sends.NoteFirstSentAsync(sendId, DateTime.UtcNow, cancellationToken);
                    firstSent = false;
                }
            }
            catch (SmtpCommandException e)
            {
                if (Classify(delivery, e, outcomes, settings) is { } refused)
                {
                    inHand.Attempted();
                    return refused;
                }
                consecutiveFailures = streaks.Failed(sendId);
            }
            catch (Exception e) when (IsConnectionFailure(e) && ++drops <= MaxDropsPerBatch)
            {
                // The relay hung up mid-conversation: this recipient stays in hand and goes out again on a
                // fresh connection (a duplicate if the relay had already taken it). A relay that keeps
                // hanging up fails the job instead, and Hangfire retries it with backoff.
                logger.LogWarning("Send {SendId}: SMTP connection lost ({Error}); reconnecting", sendId, e.Message);
                await connection.DisconnectAsync(cancellationToken);
                continue;
            }
            inHand.Attempted();
            var lastError = outcomes.LastError;
            writer.Hand(sendId, outcomes);

            if (consecutiveFailures >= settings.PauseAfterConsecutiveFailures)
                return $"{consecutiveFailures} deliveries in a row failed; the last: {lastError}";
        }
        return null;
    }

    /// <summary>Waits until the batch's outcomes are in the ledger, then gives back the rows not attempted.</summary>
    private async Task SettleAsync(long sendId, DeliveryOutcomes outcomes, LeasedDeliveries inHand,
        CancellationToken cancellationToken = default)
    {
        writer.Hand(sendId, outcomes);
        await writer.RecordedAsync(sendId, cancellationToken);
        await deliveries.ReleaseAsync(sendId, inHand.TakeForRelease(), cancellationToken);
    }

    /// <summary>
    /// Records a refusal as its reply calls for (<see cref="RelayReply"/>); returns why the send must pause when the
    /// relay refused us rather than the reader, whose row then waits, deferred, for the resume. Deferred, not given
    /// back: a refusal that was the reader's after all (a rule on that one mailbox) costs an attempt each time, and
    /// after MaxAttempts fails that reader instead of pausing every resume.
    /// </summary>
    private static string? Classify(ClaimedDelivery delivery, SmtpCommandException e, DeliveryOutcomes outcomes, SendingOptions settings)
    {
        var code = (int)e.StatusCode;
        var error = $"{code} {e.Message}".Trim();
        var verdict = RelayReply.Classify(e);
        switch (verdict)
        {
            case RelayVerdict.RecipientRejected:
                outcomes.Failed.Add((delivery.SubscriberId, error));
                outcomes.Bounced.Add((delivery.SubscriberId, delivery.Email, error));
                return null;
            case RelayVerdict.RecipientFailed:
                outcomes.Failed.Add((delivery.SubscriberId, error));
                return null;
        }

        if (delivery.Attempts >= settings.MaxAttempts)
            outcomes.Failed.Add((delivery.SubscriberId, $"gave up after {delivery.Attempts} attempts: {error}"));
        else
            outcomes.Deferred.Add((delivery.SubscriberId, error,
                DateTime.UtcNow + TimeSpan.FromSeconds(settings.RetryBaseSeconds * Math.Pow(2, delivery.Attempts - 1))));
        return verdict == RelayVerdict.SenderRefused ? $"The relay refused the send, not a reader: {error}" : null;
    }

    /// <summary>Hands over to the next batch, waits for the earliest retry, or closes the send.</summary>
    private async Task ContinueAsync(long sendId, CancellationToken cancellationToken = default)
    {
        if (await sends.StatusAsync(sendId, cancellationToken) != SendStatus.Sending)
            return;
        var earliest = await deliveries.EarliestRetryAsync(sendId, cancellationToken);
        if (earliest is { } at)
        {
            if (rateLimiter.SpentUntil is { } nextHour && nextHour > at)
                at = nextHour;
            if (at <= DateTime.UtcNow)
                jobs.Enqueue<SendBatchJob>(job => job.RunAsync(sendId, null, CancellationToken.None));
            else
                jobs.Schedule<SendBatchJob>(job => job.RunAsync(sendId, null, CancellationToken.None), at - DateTime.UtcNow);
            return;
        }
        if (!await deliveries.HasOpenAsync(sendId, cancellationToken))
            await sends.TrySetStatusAsync(sendId, SendStatus.Finished, null, [SendStatus.Sending], cancellationToken);
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is SmtpRelayException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or MailKit.ServiceNotConnectedException
            or TimeoutException or System.Security.Authentication.AuthenticationException or MailKit.Security.AuthenticationException
            or MailKit.Security.SslHandshakeException;
}
