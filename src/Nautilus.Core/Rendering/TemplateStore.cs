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

        var root = Path.GetFullPath(overrideDirectory);
        if (!Directory.Exists(root))
        {
            throw NautilusException.Usage($"--templates '{overrideDirectory}' is not a directory. Point it at a folder laid out like the built-in templates (terraform/<provider>/*.tf.sbn, ansible/*.yml.sbn); see 'nautilus templates list'.");
        }

        foreach (var file in Directory.EnumerateFiles(root, "*.sbn", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(root, file).Replace('\\', '/');
            templates[name] = new TemplateSource(name, file, true, File.ReadAllText(file).ReplaceLineEndings("\n"));
        }

        return new TemplateStore(templates, root);
    }

    public TemplateSource? Find(string name) => _templates.GetValueOrDefault(name);

    public TemplateSource Get(string name) => Find(name)
        ?? throw NautilusException.Usage($"Template '{name}' is missing{(OverrideDirectory is null ? "" : $" (built-in and in {OverrideDirectory})")}. Run 'nautilus templates list' to see the templates available.");

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
