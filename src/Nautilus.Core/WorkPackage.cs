using System.Text.RegularExpressions;

namespace Nautilus.Core;

/// <summary>Naming rules of docs/design.md §2: a work package name, its tag, slug, branch and paths.</summary>
public static partial class WorkPackage
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,48}$")]
    private static partial Regex NamePattern();

    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    public static string Validate(string name, string origin)
    {
        if (!IsValid(name))
        {
            throw NautilusException.Usage(
                $"'{name}' ({origin}) is not a valid work package name: use 1-49 characters of a-z, 0-9 and '-', starting with a letter or digit, e.g. " +
                    $"'dc1-refresh'.");
        }

        return name;
    }

    public static string TagName(string wp) => $"wp:{wp}";

    public static string TagSlug(string wp) => Tags.SlugOf(TagName(wp));

    public static string DocPath(string wp) => $"docs/work-packages/{wp}.md";

    public static string Branch(string wp, string prefix) => prefix + wp;

    /// <summary>
    /// A work package no object and no tag of a source knows: exit 3 from every source alike, naming the known ones and
    /// the close match when it looks like a typo.
    /// </summary>
    public static NautilusException Unknown(string wp, string source, IEnumerable<string> known)
    {
        var names = known.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var list = names.Count == 0 ? "It knows no work package (no wp: tag)."
            : $"Known work packages: {string.Join(", ", names.Take(20))}{(names.Count > 20 ? ", …" : "")}.";
        var typo = Spelling.Closest(wp, names);
        return NautilusException.InvalidData(
            $"Work package '{wp}' is unknown in {source}: no object carries tag {TagName(wp)}.{(typo is null ? "" : $" Did you mean '{typo}'?")} {list}"
            + (typo is null ? $" To start a new work package: nautilus wp init {wp}." : ""));
    }

    /// <summary>Work package names from tag names (wp:&lt;name&gt;).</summary>
    public static IEnumerable<string> FromTags(IEnumerable<string?> tagNames) =>
        tagNames.Select(t => t is null ? null : Tags.ValueOf(t, Tags.WorkPackagePrefix)).Where(IsValid).Select(n => n!);
}
