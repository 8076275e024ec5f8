using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Newsletter.Configuration;
using Newsletter.Content;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;
using RazorLight.Generation;

namespace Newsletter.Rendering;

/// <summary>
/// Renders issues and the subscription mails through the Razor templates in <c>templates/email/</c>.
/// Register it as a singleton: it owns the one RazorLight engine, compiles the fixed set of templates
/// once (RazorLight never unloads compiled templates) and is safe to use from many threads.
/// Output holds merge tokens; fill them per recipient with a <see cref="Personalizer"/>.
/// </summary>
public sealed partial class MailRenderer
{
    public const string LayoutTemplate = "email/_Layout.cshtml";
    public const string IssueTemplate = "email/Issue.cshtml";
    public const string BlocksTemplate = "email/_Blocks.cshtml";
    public const string ConfirmationTemplate = "email/Confirmation.cshtml";
    public const string WelcomeTemplate = "email/Welcome.cshtml";

    private static readonly string[] CompiledSet = [IssueTemplate, BlocksTemplate, ConfirmationTemplate, WelcomeTemplate];

    private readonly NewsletterOptions _options;
    private readonly RazorLightEngine _engine;
    private readonly FileSystemCachingProvider? _cache;
    private readonly Lazy<Task> _compiled;

    /// <param name="templatesDirectory">The <c>templates/</c> folder (see <see cref="TemplateDirectory.Locate"/>).</param>
    /// <param name="operatingAssembly">
    /// The entry assembly whose compilation context (<c>PreserveCompilationContext</c>) Razor compiles
    /// against; defaults to the process entry assembly, tests pass their own.
    /// </param>
    /// <param name="cacheDirectory">
    /// Where compiled templates are kept as assemblies, one per template version (see <see cref="TemplateCache"/>):
    /// a template found there is loaded instead of compiled. Null keeps them in memory only.
    /// </param>
    public MailRenderer(NewsletterOptions options, string templatesDirectory, Assembly? operatingAssembly = null, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(templatesDirectory);
        _options = options;
        TemplatesDirectory = Path.GetFullPath(templatesDirectory);
        CacheDirectory = cacheDirectory is null ? null : Path.GetFullPath(cacheDirectory);
        var operating = operatingAssembly ?? Assembly.GetEntryAssembly() ?? typeof(MailRenderer).Assembly;
        _cache = CacheDirectory is null ? null : new FileSystemCachingProvider(TemplatesDirectory, CacheDirectory, FileHashCachingStrategy.Instance);
        RazorLightEngine Build()
        {
            var builder = new RazorLightEngineBuilder()
                .UseFileSystemProject(TemplatesDirectory)
                .SetOperatingAssembly(operating)
                .ExcludeAssemblies(TemplateReferences.Unneeded(operating));
            return (_cache is null ? builder.UseMemoryCachingProvider() : builder.UseCachingProvider(_cache)).Build();
        }
        // With a cache, the engine loads compiled templates and builds its compiler only for one that is missing.
        _engine = _cache is null
            ? Build()
            : new RazorLightEngine(new EngineHandler(new RazorLightOptions(), new DeferredTemplateCompiler(() => Build().Handler.Compiler),
                new TemplateFactoryProvider(), _cache));
        _compiled = new Lazy<Task>(CompileAllAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string TemplatesDirectory { get; }

    public string? CacheDirectory { get; }

    /// <summary>Whether every template is in <see cref="CacheDirectory"/> as it is now on disk, so none needs compiling.</summary>
    public bool IsCompiledInCache()
    {
        if (_cache is null)
            return false;
        try
        {
            return CompiledSet.Append(LayoutTemplate).All(_cache.Contains);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Compiles every template now (about two seconds) instead of on the first render; call at start-up
    /// so a broken template stops the start, not the first send.
    /// </summary>
    /// <exception cref="TemplateException">A template is missing or does not compile.</exception>
    /// <remarks>The compilation is shared and runs to its end; <paramref name="cancellationToken"/> stops only the wait.</remarks>
    public Task CompileAsync(CancellationToken cancellationToken = default) => _compiled.Value.WaitAsync(cancellationToken);

    /// <summary>Renders an issue once: subject, inlined HTML, plain text and preheader, with merge tokens.</summary>
    /// <exception cref="TemplateException">A template is missing, does not compile or fails while rendering.</exception>
    public async Task<RenderedMail> RenderIssueAsync(Issue issue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var body = IssueBody.Of(issue);
        var model = new IssueEmailModel
        {
            Issue = issue,
            Body = body,
            ListName = _options.Name,
            Subject = issue.Subject,
            Preheader = body.Preheader,
            HeaderNote = issue.Date?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
            PostalAddress = _options.Sender.PostalAddress,
            Why = $"You receive {_options.Name} because you subscribed at {_options.PublicUrl} and confirmed your address.",
            HasWebVersion = true,
        };
        var html = await RenderAsync(IssueTemplate, model, cancellationToken).ConfigureAwait(false);
        return new RenderedMail(issue.Subject, html, PlainTextRenderer.Issue(model), body.Preheader);
    }

    /// <summary>The double opt-in mail for one address; no merge tokens left but <c>{{email}}</c> if a template adds it.</summary>
    public async Task<RenderedMail> RenderConfirmationAsync(
        string listName, string confirmUrl, DateTimeOffset linkExpiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(listName);
        ArgumentException.ThrowIfNullOrEmpty(confirmUrl);
        var subject = $"Confirm your subscription to {listName}";
        var model = new ConfirmationEmailModel
        {
            ConfirmUrl = confirmUrl,
            SubscribedList = listName,
            LinkExpires = linkExpiresAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            ListName = _options.Name,
            Subject = subject,
            Preheader = "One click to confirm, and the next issue is on its way to you.",
            PostalAddress = _options.Sender.PostalAddress,
            Why = $"You receive this mail because this address was entered in the sign-up form of {_options.Name} at {_options.PublicUrl}.",
            HasListLinks = false,
        };
        var html = await RenderAsync(ConfirmationTemplate, model, cancellationToken).ConfigureAwait(false);
        return new RenderedMail(subject, html, PlainTextRenderer.Confirmation(model), model.Preheader);
    }

    /// <summary>The welcome mail, rendered once and personalised per new subscriber.</summary>
    public async Task<RenderedMail> RenderWelcomeAsync(string listName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(listName);
        var subject = $"Welcome to {listName}";
        var model = new WelcomeEmailModel
        {
            SubscribedList = listName,
            ArchiveUrl = _options.PublicUrl.TrimEnd('/') + "/archive",
            ListName = _options.Name,
            Subject = subject,
            Preheader = "Your subscription is confirmed. Here is what to expect.",
            PostalAddress = _options.Sender.PostalAddress,
            Why = $"You receive {_options.Name} because you subscribed at {_options.PublicUrl} and confirmed your address.",
        };
        var html = await RenderAsync(WelcomeTemplate, model, cancellationToken).ConfigureAwait(false);
        return new RenderedMail(subject, html, PlainTextRenderer.Welcome(model), model.Preheader);
    }

    private async Task<string> RenderAsync(string template, EmailModel model, CancellationToken cancellationToken = default)
    {
        await _compiled.Value.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        string html;
        try
        {
            html = await _engine.CompileRenderAsync(template, model).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not TemplateException and not OperationCanceledException)
        {
            throw new TemplateException(Path.Combine(TemplatesDirectory, template), 0, "rendering failed: " + e.Message, e);
        }

        return EmailInliner.Inline(html);
    }

    private async Task CompileAllAsync()
    {
        foreach (var template in CompiledSet.Append(LayoutTemplate))
        {
            var path = Path.Combine(TemplatesDirectory, template);
            try
            {
                await _engine.CompileTemplateAsync(template).ConfigureAwait(false);
            }
            catch (TemplateCompilationException e)
            {
                var first = e.CompilationErrors.FirstOrDefault() ?? e.Message;
                var match = DiagnosticLine().Match(first);
                // Roslyn reports zero-based (line:column) positions mapped onto the .cshtml file.
                var line = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) + 1 : 0;
                throw new TemplateException(path, line, "does not compile: " + first, e);
            }
            catch (TemplateGenerationException e) when (e.Diagnostics.Count > 0)
            {
                var first = e.Diagnostics[0];
                throw new TemplateException(path, first.Span.LineIndex + 1, "does not compile: " + first.GetMessage(CultureInfo.InvariantCulture), e);
            }
            catch (Exception e) when (e is RazorLightException or InvalidOperationException or IOException)
            {
                throw new TemplateException(path, 0, e.Message, e);
            }
        }
    }

    [GeneratedRegex(@"\((\d+)[,:]\d+\)")]
    private static partial Regex DiagnosticLine();
}
