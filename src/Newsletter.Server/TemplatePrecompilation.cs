using System.Diagnostics;
using Newsletter.Rendering;
using Newsletter.Server.Cli;
using Newsletter.Storage;

namespace Newsletter.Server;

/// <summary>
/// Compiles the templates in a short-lived child process when the cache lacks them, so that the server
/// loads compiled assemblies and never the C# compiler: Roslyn, its JIT-compiled code and its heap cost
/// the sending process about 30 MB of resident memory (30,000-recipient send: peak 257 → 227 MB).
/// </summary>
public static class TemplatePrecompilation
{
    /// <summary>
    /// Returns once the cache holds every template. If the child cannot do it for another reason than a
    /// template, the renderer compiles in this process as before.
    /// </summary>
    /// <exception cref="StartupException">A template does not compile (file, line and compiler message).</exception>
    public static async Task EnsureAsync(MailRenderer renderer, Action<string> log, CancellationToken cancellationToken = default)
    {
        if (renderer.CacheDirectory is not { } cache || renderer.IsCompiledInCache())
            return;
        Directory.CreateDirectory(cache);
        var start = ProgramCommand.For(typeof(TemplatePrecompilation).Assembly);
        foreach (var argument in new[] { CompileTemplatesCommand.Name, "--templates", renderer.TemplatesDirectory, "--cache", cache })
            start.ArgumentList.Add(argument);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        Process child;
        try
        {
            child = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log($"Cannot run {CompileTemplatesCommand.Name} ({e.Message}); compiling the templates in this process.");
            return;
        }
        using (child)
        {
            var errors = child.StandardError.ReadToEndAsync(cancellationToken);
            await child.StandardOutput.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            var message = (await errors).Trim();
            if (child.ExitCode == CompileTemplatesCommand.TemplateDoesNotCompile)
                throw new StartupException(message);
            if (child.ExitCode != 0)
                log($"{CompileTemplatesCommand.Name} failed ({message}); compiling the templates in this process.");
        }
    }
}
