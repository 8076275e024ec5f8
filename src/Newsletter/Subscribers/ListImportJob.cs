using Hangfire;
using Microsoft.Extensions.Logging;
using Newsletter.Jobs;

namespace Newsletter.Subscribers;

/// <summary>
/// Runs an import started from the author's pages: the stored file through <see cref="SubscriberImporter"/>, as the
/// CLI's <c>subscribers import</c> runs it, with how far it has read written down for the page to poll.
/// </summary>
public sealed class ListImportJob(ListImportStore imports, SubscriberImporter importer, TimeProvider clock, ILogger<ListImportJob> logger)
{
    /// <summary>Refused rows kept for the download; the summary counts them all.</summary>
    public const int MaxKeptRejections = 100_000;

    /// <summary>How often the bytes read so far are written down while the import runs.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    // The importer is one transaction: a run cut short by a crash changed nothing and starts again from the top;
    // one that failed otherwise is recorded as failed, so the page never waits for an import that will not end.
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(long importId, CancellationToken cancellationToken = default)
    {
        var import = await imports.FindAsync(importId, cancellationToken).ConfigureAwait(false);
        if (import is null || !await imports.StartAsync(importId, cancellationToken).ConfigureAwait(false))
            return;

        var rejections = new List<ImportRejection>();
        var progress = new LatestProgress();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporting = ReportProgressAsync(importId, progress, stop.Token);
        ImportSummary summary;
        try
        {
            summary = await imports.ReadFileAsync(importId, file => importer.ImportAsync(file, import.ListSlug, import.Confirmed, rejection =>
            {
                if (rejections.Count < MaxKeptRejections)
                    rejections.Add(rejection);
            }, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (NewsletterException e) when (e is ImportRefusedException or UnknownListException)
        {
            await imports.FailAsync(importId, e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Import {ImportId} stopped", importId);
            await imports.FailAsync(importId, "it stopped on an unexpected error (" + e.GetType().Name + "); the log has the details.",
                cancellationToken).ConfigureAwait(false);
            return;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reporting.ConfigureAwait(false);
        }
        await imports.FinishAsync(importId, summary, rejections, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReportProgressAsync(long importId, LatestProgress progress, CancellationToken cancellationToken = default)
    {
        using var timer = new PeriodicTimer(ProgressInterval, clock);
        long written = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var read = progress.Bytes;
                if (read == written)
                    continue;
                await imports.ReportProgressAsync(importId, read, cancellationToken).ConfigureAwait(false);
                written = read;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The import is over; its outcome is written next.
        }
    }

    /// <summary>The importer reports from its own loop; the latest figure is all the page needs.</summary>
    private sealed class LatestProgress : IProgress<long>
    {
        private long _bytes;

        public long Bytes => Interlocked.Read(ref _bytes);

        public void Report(long value) => Interlocked.Exchange(ref _bytes, value);
    }
}
