namespace Newsletter.Rendering;

/// <summary>Finds the <c>templates/</c> folder: configured, else from the current directory upward, else next to the app.</summary>
public static class TemplateDirectory
{
    private const string Marker = "email/_Layout.cshtml";

    /// <exception cref="TemplateException">No folder holding the email layout was found.</exception>
    public static string Locate(string? configured = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured);
            return File.Exists(Path.Combine(full, Marker))
                ? full
                : throw new TemplateException(Path.Combine(full, Marker), 0, "the configured templates folder has no email layout");
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "templates");
            if (File.Exists(Path.Combine(candidate, Marker)))
            {
                return candidate;
            }
        }

        var besideApp = Path.Combine(AppContext.BaseDirectory, "templates");
        return File.Exists(Path.Combine(besideApp, Marker))
            ? besideApp
            : throw new TemplateException("templates/" + Marker, 0,
                "no templates folder found in the current directory, its parents, or next to the application; set Newsletter:Rendering:TemplatesPath");
    }
}
