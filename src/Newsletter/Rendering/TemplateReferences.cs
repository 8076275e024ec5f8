using System.Reflection;
using Microsoft.Extensions.DependencyModel;

namespace Newsletter.Rendering;

/// <summary>
/// What the email templates are compiled against. RazorLight hands Roslyn every compile-time reference
/// of the application, 339 assemblies for the server (ASP.NET Core, Hangfire, Npgsql…); loading and
/// binding them all was most of the ~190 MB the process peaked at while compiling. Templates need the
/// core library, RazorLight, and our models.
/// </summary>
internal static class TemplateReferences
{
    private static readonly HashSet<string> Needed = new(StringComparer.OrdinalIgnoreCase)
    {
        "netstandard", "mscorlib", "System", "System.Core", "System.Runtime", "System.Collections", "System.Linq",
        "System.Linq.Expressions", "System.Runtime.Extensions", "System.ObjectModel", "System.Memory",
        "System.Text.Encodings.Web", "System.ComponentModel", "System.Dynamic.Runtime", "Microsoft.CSharp",
        "Microsoft.AspNetCore.Html.Abstractions", "RazorLight", "Newsletter",
    };

    /// <summary>The compile libraries of <paramref name="operating"/> that templates do not use.</summary>
    public static string[] Unneeded(Assembly operating) =>
        DependencyContext.Load(operating)?.CompileLibraries
            .Select(library => library.Name)
            .Where(name => !Needed.Contains(name) && name != operating.GetName().Name)
            .ToArray() ?? [];
}
