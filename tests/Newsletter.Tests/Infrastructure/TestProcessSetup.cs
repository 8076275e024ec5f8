using System.Runtime.CompilerServices;

namespace Newsletter.Tests.Infrastructure;

internal static class TestProcessSetup
{
    /// <summary>
    /// This one process hosts a dozen apps at once, each with its Hangfire workers, SMTP peers and
    /// database pools; on two cores the thread pool's slow growth (about one thread a second) left
    /// job continuations queued for tens of seconds. A real server process hosts one app.
    /// </summary>
    [ModuleInitializer]
    internal static void GrowThreadPool() => ThreadPool.SetMinThreads(64, 64);
}
