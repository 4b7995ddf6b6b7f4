using System.Text.RegularExpressions;

namespace Nautilus.Core;

/// <summary>Naming rules of DESIGN section 2: a work package name, its tag, slug, branch and paths.</summary>
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
                $"'{name}' ({origin}) is not a valid work package name: use 1-49 characters of a-z, 0-9 and '-', starting with a letter or digit, e.g. 'dc1-refresh'.");
        }

        return name;
    }

    public static string TagName(string wp) => $"wp:{wp}";

    public static string TagSlug(string wp) => Tags.SlugOf(TagName(wp));

    public static string DocPath(string wp) => $"docs/work-packages/{wp}.md";

    public static string Branch(string wp, string prefix) => prefix + wp;
}
