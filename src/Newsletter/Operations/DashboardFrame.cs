using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Newsletter.Operations;

/// <summary>
/// A page of ours inside the Hangfire dashboard: a Razor component rendered to HTML, set in Hangfire's own layout
/// (its menu, look and scripts) by a Hangfire page whose body is that HTML.
/// </summary>
internal sealed class DashboardFrame(string title, string body) : RazorPage
{
    public override void Execute()
    {
        Layout = new LayoutPage(title);
        // Already encoded by the component's renderer.
        WriteLiteral(body);
    }

    /// <summary>Renders <typeparamref name="TComponent"/> and answers with it in the dashboard's layout.</summary>
    public static async Task WriteAsync<TComponent>(DashboardContext context, string title, IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        var services = context.GetHttpContext().RequestServices;
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var body = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        // Hangfire's page dispatcher, the one thing that may hand a page its request, is reached through a route of its own.
        var frame = new RouteCollection();
        frame.AddRazorPage("/", _ => new DashboardFrame(title, body));
        await frame.FindDispatcher("/").Item1.Dispatch(context);
    }
}
