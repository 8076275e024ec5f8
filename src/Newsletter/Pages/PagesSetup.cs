using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace Newsletter.Pages;

/// <summary>
/// The public pages are Razor components rendered on the server and returned by minimal-API
/// handlers; their one stylesheet (and the author pages' small scripts) is embedded in this assembly, so it is found wherever the app runs.
/// </summary>
public static class PagesSetup
{
    public const string StylesheetPath = "/assets/site.css";

    /// <summary>The author's editor: live preview of the issue being typed.</summary>
    public const string IssueEditorScriptPath = "/assets/issue-editor.js";

    /// <summary>A send's page: its figures refreshed every two seconds until it is done.</summary>
    public const string SendProgressScriptPath = "/assets/send-progress.js";

    /// <summary>The dashboard's Sends pages: each running send's figures refreshed every two seconds.</summary>
    public const string DashboardSendsScriptPath = "/assets/dashboard-sends.js";

    /// <summary>An import's progress bar, following the import's job.</summary>
    public const string ListImportScriptPath = "/assets/list-import.js";

    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorComponents();
        return services;
    }

    public static WebApplication UsePageAssets(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(PagesSetup).Assembly, "Newsletter.Pages"),
            RequestPath = "/assets",
        });
        return app;
    }
}
