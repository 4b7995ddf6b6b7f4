namespace Nautilus.Core;

/// <summary>
/// Tag conventions. NetBox slugs cannot hold ':' (pattern ^[-\w]+$) and NetBox's own slugify drops it,
/// so we set slugs explicitly with ':' → '-' and match tags by name first (docs/design.md §2).
/// </summary>
public static class Tags
{
    public const string WorkPackagePrefix = "wp:";
    public const string WavePrefix = "wave:";
    public const string PriorityPrefix = "priority:";
    public const string SprintPrefix = "sprint:";
    public const string DependsOnWpPrefix = "depends-on:wp:";
    public const string DependsOnWavePrefix = "depends-on:wave:";

    /// <summary>The colour Nautilus gives a tag it creates: work packages blue, waves green, priorities by urgency.</summary>
    public static string ColorOf(string tagName) => tagName switch
    {
        _ when tagName.StartsWith(WorkPackagePrefix, StringComparison.Ordinal) => "2196f3",
        _ when tagName.StartsWith(WavePrefix, StringComparison.Ordinal) => "4caf50",
        PriorityPrefix + "high" => "f44336",
        PriorityPrefix + "medium" => "ff9800",
        _ => "9e9e9e",
    };

    public static string SlugOf(string tagName) => tagName.Replace(':', '-');

    /// <summary>The value after a prefix (by name), e.g. "wave:db" → "db"; null when the tag has another prefix.</summary>
    public static string? ValueOf(string tagName, string prefix) =>
        tagName.StartsWith(prefix, StringComparison.Ordinal) && tagName.Length > prefix.Length
            ? tagName[prefix.Length..]
            : null;
}
