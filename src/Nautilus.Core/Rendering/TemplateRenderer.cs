using System.Collections.Concurrent;
using System.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Nautilus.Core.Rendering;

/// <summary>
/// Renders Scriban templates in strict mode: an unknown variable or member is an error that names the
/// template, line and column. Parsed templates are cached; each render gets its own context, so renders
/// may run in parallel.
/// </summary>
public sealed class TemplateRenderer(TemplateStore store)
{
    private readonly ConcurrentDictionary<string, Template> _parsed = new(StringComparer.Ordinal);

    [ThreadStatic]
    private static StringBuilder? _output;

    public TemplateStore Store => store;

    /// <param name="name">Template name, e.g. "terraform/vsphere/main.tf.sbn".</param>
    /// <param name="globals">Top-level variables (view-model records; members are snake_case in templates).</param>
    public string Render(string name, IReadOnlyDictionary<string, object?> globals)
    {
        var model = new ScriptObject();
        foreach (var (key, value) in globals)
        {
            model.Add(key, value);
        }

        return Render(name, model);
    }

    /// <summary>Renders with the members of one view-model as the top-level variables (snake_case), as the MR note does.</summary>
    public string RenderModel(string name, object model)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        return Render(name, globals);
    }

    private string Render(string name, ScriptObject model)
    {
        var source = store.Get(name);
        var template = _parsed.GetOrAdd(name, _ => Parse(source));
        var context = NewContext();
        context.PushGlobal(model);

        // Each thread renders into one builder that keeps its capacity, instead of growing a fresh one block by block
        // for every file. Emptied first: Scriban empties it after a render, but not after one that failed.
        _output ??= new StringBuilder(1 << 16);
        _output.Clear();
        context.PushOutput(new StringBuilderOutput(_output));
        try
        {
            return template.Render(context).ReplaceLineEndings("\n");
        }
        catch (ScriptRuntimeException ex)
        {
            throw Fail(source, ex.Span, ex.OriginalMessage);
        }
    }

    /// <summary>Parses every template up front, so a broken override is reported before anything is rendered.</summary>
    public void Validate(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            _parsed.GetOrAdd(name, n => Parse(store.Get(n)));
        }
    }

    private static Template Parse(TemplateSource source)
    {
        var template = Template.Parse(source.Text, source.Name);
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw Fail(source, first.Span, string.Join("; ", template.Messages.Where(m => m.Type == ParserMessageType.Error).Select(m => m.Message)));
        }

        return template;
    }

    private static NautilusException Fail(TemplateSource source, SourceSpan span, string message) =>
        NautilusException.Usage(
            $"Template {source.Name} ({(source.IsOverride ? source.Origin : "built-in")}) line {span.Start.Line + 1}, column {span.Start.Column + 1}: " +
                $"{message}. "
            + (source.IsOverride ? "Fix the override or remove it to fall back to the built-in template."
                : "This is a bug in a built-in template; please report it."));

    // Scriban builds its builtin functions object by reflection for every new context unless given one;
    // both objects are only read while rendering, so one instance serves every (parallel) render.
    private static readonly ScriptObject Builtins = TemplateContext.GetDefaultBuiltinObject();
    private static readonly ScriptObject Functions = CreateFunctions();

    private static ScriptObject CreateFunctions()
    {
        var functions = new ScriptObject();
        functions.SetValue("hcl", new TextFunction(v => Escaping.HclString(v)), true);
        functions.SetValue("hcl_id", new TextFunction(v => Escaping.HclIdentifier(v)), true);
        functions.SetValue("yaml", new TextFunction(v => Escaping.YamlScalar(v)), true);
        return functions;
    }

    private static TemplateContext NewContext()
    {
        var context = new RenderContext(Builtins)
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = int.MaxValue,
            LimitToString = 0,
            NewLine = "\n",
            MemberRenamer = StandardMemberRenamer.Default,
        };
        context.PushCulture(System.Globalization.CultureInfo.InvariantCulture);
        context.PushGlobal(Functions);
        return context;
    }

    /// <summary>
    /// Scriban converts every function argument to its parameter type; to <c>object</c> that is the value itself,
    /// reached only after a chain of reflection checks that cost as much as the rest of a render. Short-cut it.
    /// </summary>
    private sealed class RenderContext(ScriptObject builtins) : TemplateContext(builtins)
    {
        // Every render has its own context, and Scriban keeps member accessors per context: each render built a
        // new reflection accessor for every view-model type, whose getters the runtime then re-emitted and
        // finalized (a third of the CPU of a large generation). One accessor per type serves the process; it is
        // only read, and the member filter and renamer are the same for every context.
        private static readonly ConcurrentDictionary<Type, IObjectAccessor?> Accessors = new();

        public override object? ToObject(SourceSpan span, object? value, Type destinationType) =>
            destinationType == typeof(object) ? value : base.ToObject(span, value, destinationType);

        protected override IObjectAccessor? GetMemberAccessorImpl(object target) =>
            Accessors.GetOrAdd(target.GetType(), static (_, state) => state.Context.Base(state.Target), (Context: this, Target: target));

        private IObjectAccessor? Base(object target) => base.GetMemberAccessorImpl(target);
    }

    /// <summary>
    /// One-argument text filters (<c>hcl</c>, <c>hcl_id</c>, <c>yaml</c>) called directly, instead of through
    /// Scriban's delegate wrapper, which invokes by reflection.
    /// </summary>
    private sealed class TextFunction(Func<string?, string> apply) : IScriptCustomFunction
    {
        private static readonly ScriptParameterInfo Value = new(typeof(object), "value");

        public int RequiredParameterCount => 1;

        public int ParameterCount => 1;

        public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

        public Type ReturnType => typeof(string);

        public ScriptParameterInfo GetParameterInfo(int index) => Value;

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            apply(ToText(arguments[0]));

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments,
            ScriptBlockStatement? blockStatement) =>
            new(Invoke(context, callerContext, arguments, blockStatement));
    }

    private static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
