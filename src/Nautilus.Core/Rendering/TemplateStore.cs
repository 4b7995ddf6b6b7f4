using System.Reflection;

namespace Nautilus.Core.Rendering;

/// <summary>One template name ("terraform/vsphere/main.tf.sbn") and where it resolved to.</summary>
public sealed record TemplateSource(string Name, string Origin, bool IsOverride, string Text);

/// <summary>
/// The built-in templates (this repository's templates/ folder, embedded into Nautilus.Core) with an optional
/// override folder laid out the same way: a file there replaces the built-in of the same name, and a new
/// file is added (docs/design.md §4, "file by file").
/// </summary>
public sealed class TemplateStore
{
    public const string ResourcePrefix = "nautilus/templates/";
    public const string BuiltInOrigin = "built-in";

    private readonly SortedDictionary<string, TemplateSource> _templates;

    private TemplateStore(SortedDictionary<string, TemplateSource> templates, string? overrideDirectory)
    {
        _templates = templates;
        OverrideDirectory = overrideDirectory;
    }

    public string? OverrideDirectory { get; }

    public IReadOnlyCollection<TemplateSource> All => _templates.Values;

    public static TemplateStore Load(string? overrideDirectory)
    {
        var templates = new SortedDictionary<string, TemplateSource>(StringComparer.Ordinal);
        var assembly = typeof(TemplateStore).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            name = name[ResourcePrefix.Length..];
            templates[name] = new TemplateSource(name, BuiltInOrigin, false, ReadResource(assembly, resource));
        }

        if (overrideDirectory is null)
        {
            return new TemplateStore(templates, null);
        }

        var builtInNames = templates.Keys.ToHashSet(StringComparer.Ordinal);
        var root = Path.GetFullPath(overrideDirectory);
        if (!Directory.Exists(root))
        {
            throw NautilusException.Usage($"--templates '{overrideDirectory}' is not a directory. Point it at a folder laid out like the built-in templates " +
                $"(terraform/<provider>/*.tf.sbn, ansible/*.yml.sbn); see 'nautilus templates list'.");
        }

        foreach (var file in Directory.EnumerateFiles(root, "*.sbn", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(root, file).Replace('\\', '/');
            templates[name] = new TemplateSource(name, file, true, File.ReadAllText(file).ReplaceLineEndings("\n"));
        }

        return new TemplateStore(templates, root) { Unused = UnusedOverrides(templates, builtInNames) };
    }

    /// <summary>
    /// Override files nothing reads, each with the reason: a folder no built-in template is in (a misspelled
    /// "terraform/vspher/"), or a new file in plan/, which holds only comment.md.sbn. Listing them as overrides
    /// while generation ignores them would mislead.
    /// </summary>
    public IReadOnlyList<string> Unused { get; private init; } = [];

    private static List<string> UnusedOverrides(SortedDictionary<string, TemplateSource> templates, HashSet<string> builtIn)
    {
        var folders = builtIn.Select(FolderOf).ToHashSet(StringComparer.Ordinal);
        var unused = new List<string>();
        foreach (var t in templates.Values.Where(t => t.IsOverride && !builtIn.Contains(t.Name)))
        {
            var folder = FolderOf(t.Name);
            if (folder == "plan/")
            {
                unused.Add($"template override {t.Origin} replaces no built-in template and nothing reads it: plan/ holds only comment.md.sbn.");
            }
            else if (!folders.Contains(folder) && !folders.Any(f => f.Length > 0 && folder.StartsWith(f, StringComparison.Ordinal)))
            {
                var typo = Spelling.Closest(folder, folders.Where(f => f.Length > 0));
                unused.Add($"template override {t.Origin} is in folder '{(folder.Length == 0 ? "." : folder)}', which no built-in template is in, so nothing " +
                    $"reads it.{(typo is null ? "" : $" Did you mean '{typo}'?")} Folders: " +
                    $"{string.Join(", ", folders.Where(f => f.Length > 0).Order(StringComparer.Ordinal))}.");
            }
        }

        return unused;
    }

    private static string FolderOf(string name) => name.LastIndexOf('/') is var i and >= 0 ? name[..(i + 1)] : "";

    public TemplateSource? Find(string name) => _templates.GetValueOrDefault(name);

    public TemplateSource Get(string name) => Find(name)
        ?? throw NautilusException.Usage($"Template '{name}' is missing{(OverrideDirectory is null ? "" : $" (built-in and in {OverrideDirectory})")}. Run " +
            $"'nautilus templates list' to see the templates available.");

    /// <summary>Templates directly inside a folder ("terraform/vsphere/"), not in its subfolders.</summary>
    public IReadOnlyList<TemplateSource> In(string folder) =>
        _templates.Values.Where(t => t.Name.StartsWith(folder, StringComparison.Ordinal) && !t.Name[folder.Length..].Contains('/')).ToList();

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
