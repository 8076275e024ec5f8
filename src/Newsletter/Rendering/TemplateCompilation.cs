using Microsoft.Extensions.Hosting;

namespace Newsletter.Rendering;

/// <summary>
/// Compiles every template while the server starts: a broken template stops the start instead of the
/// first send, and a scheduled send does not spend its first seconds compiling.
/// </summary>
internal sealed class TemplateCompilation(MailRenderer renderer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => renderer.CompileAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
