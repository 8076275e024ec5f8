using System.Security.Cryptography;
using System.Text;
using RazorLight;

namespace Newsletter.Rendering;

/// <summary>
/// Where compiled templates are kept. A compiled template binds to this build's models and RazorLight's
/// page types, so each build of the app (and each runtime) gets a folder of its own; inside it, RazorLight
/// names each assembly after a hash of its template's text, so an edited template is compiled again.
/// </summary>
public static class TemplateCache
{
    /// <summary>The folder under <paramref name="root"/> for this build.</summary>
    public static string DirectoryFor(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var build = string.Join('|', typeof(TemplateCache).Assembly.ManifestModule.ModuleVersionId,
            typeof(RazorLightEngine).Assembly.ManifestModule.ModuleVersionId, Environment.Version);
        return Path.Combine(Path.GetFullPath(root), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(build)))[..16]);
    }
}
