using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Newsletter.Operations;

public static class OpsDashboard
{
    /// <summary>
    /// The Hangfire dashboard at /hangfire, with our Sends pages, for signed-in operators only, read-only unless admin. Our
    /// own policy replaces Hangfire's local-requests-only filter, which a reverse proxy would defeat.
    /// </summary>
    public static IEndpointRouteBuilder MapOpsDashboard(this IEndpointRouteBuilder endpoints)
    {
        SendsDashboard.Register();
        endpoints.MapHangfireDashboardWithAuthorizationPolicy(
            OperatorAuthentication.DashboardPolicyName,
            "/hangfire",
            new DashboardOptions
            {
                DashboardTitle = "Newsletter jobs",
                AppPath = null,
                // Its footer would name the database server and database to every operator.
                DisplayStorageConnectionString = false,
                Authorization = [],
                IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(Roles.Admin),
            });
        return endpoints;
    }
}
