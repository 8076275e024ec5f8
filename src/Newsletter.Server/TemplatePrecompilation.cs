using System.Diagnostics;
using Newsletter.Rendering;
using Newsletter.Server.Cli;

namespace Newsletter.Server;

/// <summary>
/// Compiles the templates in a short-lived child process when the cache lacks them, so that the server
/// loads compiled assemblies and never the C# compiler: Roslyn, its JIT-compiled code and its heap cost
/// the sending process about 40 MB of resident memory (30,000-recipient send: peak 257 → 215 MB).
/// </summary>
public static class TemplatePrecompilation
{
    /// <summary>
    /// Returns once the cache holds every template, or once the child has failed; then the renderer
    /// compiles in-process as before, and a broken template is reported by the start as usual.
    /// </summary>
    public static async Task EnsureAsync(MailRenderer renderer, Action<string> log, CancellationToken cancellationToken = default)
    {
        if (renderer.CacheDirectory is not { } cache || renderer.IsCompiledInCache())
            return;
        Directory.CreateDirectory(cache);
        var start = ServerCommand();
        foreach (var argument in new[] { CompileTemplatesCommand.Name, "--templates", renderer.TemplatesDirectory, "--cache", cache })
            start.ArgumentList.Add(argument);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("compile-templates did not start.");
        var errors = child.StandardError.ReadToEndAsync(cancellationToken);
        await child.StandardOutput.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        if (child.ExitCode != 0)
            log($"Compiling the templates in a child process failed ({(await errors).Trim()}); compiling them in this one.");
    }

    /// <summary>This server's own executable: the apphost when it runs as one, else <c>dotnet Newsletter.Server.dll</c>.</summary>
    private static ProcessStartInfo ServerCommand()
    {
        var server = typeof(TemplatePrecompilation).Assembly.Location;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == Path.GetFileNameWithoutExtension(server))
            return new ProcessStartInfo(process) { UseShellExecute = false };
        var dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
        var start = new ProcessStartInfo(dotnet) { UseShellExecute = false };
        start.ArgumentList.Add(server);
        return start;
    }
}
