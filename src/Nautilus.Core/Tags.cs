namespace Nautilus.Core;

/// <summary>
/// Tag conventions. NetBox slugs cannot hold ':' (pattern ^[-\w]+$) and NetBox's own slugify drops it,
/// so we set slugs explicitly with ':' → '-' and match tags by name first (research/netbox.md §1.6).
/// </summary>
public static class Tags
{
    public const string WorkPackagePrefix = "wp:";
    public const string WavePrefix = "wave:";
    public const string PriorityPrefix = "priority:";
    public const string SprintPrefix = "sprint:";
    public const string DependsOnWpPrefix = "depends-on:wp:";
    public const string DependsOnWavePrefix = "depends-on:wave:";

    public static string SlugOf(string tagName) => tagName.Replace(':', '-');

    /// <summary>The value after a prefix (by name), e.g. "wave:db" → "db"; null when the tag has another prefix.</summary>
    public static string? ValueOf(string tagName, string prefix) =>
        tagName.StartsWith(prefix, StringComparison.Ordinal) && tagName.Length > prefix.Length
            ? tagName[prefix.Length..]
            : null;
}
