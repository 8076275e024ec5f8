using RazorLight.Compilation;

namespace Newsletter.Rendering;

/// <summary>
/// RazorLight's template compiler, made on the first template that is not in the cache. Making it
/// builds Razor's code generator and Roslyn's compilation options; a server whose templates are all
/// compiled already never needs either.
/// </summary>
internal sealed class DeferredTemplateCompiler(Func<IRazorTemplateCompiler> create) : IRazorTemplateCompiler
{
    private readonly Lazy<IRazorTemplateCompiler> _compiler = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public ICompilationService CompilationService => _compiler.Value.CompilationService;

    public Task<CompiledTemplateDescriptor> CompileAsync(string templateKey) => _compiler.Value.CompileAsync(templateKey);
}
