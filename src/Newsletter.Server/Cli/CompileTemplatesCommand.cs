using System.CommandLine;
using Newsletter.Configuration;
using Newsletter.Rendering;

namespace Newsletter.Server.Cli;

/// <summary>
/// <c>compile-templates --templates DIR --cache DIR</c>: compiles every template into the cache folder and
/// exits. The server runs it as a child process (see <see cref="TemplatePrecompilation"/>) so that the C#
/// compiler is never loaded into the long-running process.
/// </summary>
public static class CompileTemplatesCommand
{
    public const string Name = "compile-templates";

    /// <summary>The exit code for a template that does not compile (its message on standard error).</summary>
    public const int TemplateDoesNotCompile = 3;

    public static Command Create()
    {
        var templatesOption = new Option<string>("--templates") { Description = "The templates folder.", Required = true };
        var cacheOption = new Option<string>("--cache") { Description = "The folder compiled templates go to.", Required = true };
        var command = new Command(Name, "Compile the templates into the cache folder (the server does this by itself at start).")
        {
            templatesOption,
            cacheOption,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var cache = Path.GetFullPath(parseResult.GetValue(cacheOption)!);
            // Compiled into a folder of its own, then renamed into place: a server starting at the same
            // moment reads whole assemblies or none.
            var staging = Path.Combine(cache, $".staging-{Environment.ProcessId}");
            try
            {
                var renderer = new MailRenderer(new NewsletterOptions(), parseResult.GetValue(templatesOption)!,
                    typeof(CompileTemplatesCommand).Assembly, staging);
                await renderer.CompileAsync(cancellationToken);
                foreach (var file in Directory.EnumerateFiles(staging))
                    File.Move(file, Path.Combine(cache, Path.GetFileName(file)), overwrite: true);
                return 0;
            }
            catch (TemplateException e)
            {
                Console.Error.WriteLine(e.Message);
                return TemplateDoesNotCompile;
            }
            finally
            {
                if (Directory.Exists(staging))
                    Directory.Delete(staging, recursive: true);
            }
        });
        return command;
    }
}
