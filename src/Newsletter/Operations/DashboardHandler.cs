using Hangfire.Dashboard;

namespace Newsletter.Operations;

/// <summary>A dashboard route answered by a method.</summary>
internal sealed class DashboardHandler(Func<DashboardContext, Task> handle) : IDashboardDispatcher
{
    public Task Dispatch(DashboardContext context) => handle(context);
}
