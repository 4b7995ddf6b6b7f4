using Nautilus.Core.NetBox;

namespace Nautilus.Core.Planning;

/// <summary>One NetBox object as the planner sees it.</summary>
public sealed record PlannedObject(
    NetBoxObject Source,
    string Wave,
    int? Sequence,
    string? Priority,
    string? Sprint)
{
    public ObjectKind Kind => Source.Kind;
    public int Id => Source.Id;
    public string Name => Source.DisplayName;
    public string Status => Source.StatusValue;
}

public sealed record Wave
{
    public required string Name { get; init; }

    /// <summary>A file- and state-safe form of the name ([a-z0-9_-]), unique in the plan.</summary>
    public required string Key { get; init; }

    public required int Level { get; init; }

    /// <summary>Lowest deployment_sequence of the wave's objects; null sorts after every numbered wave.</summary>
    public int? Rank { get; init; }

    public required IReadOnlyList<string> DependsOn { get; init; }

    /// <summary>Other work packages (depends-on:wp:) that must have no planned objects before this wave applies.</summary>
    public required IReadOnlyList<string> DependsOnWorkPackages { get; init; }

    public required string StateName { get; init; }

    public required IReadOnlyList<PlannedObject> Objects { get; init; }
}

/// <summary>The waves of a work package in execution order, with the warnings found on the way.</summary>
public sealed record WavePlan(
    string WorkPackage,
    string Source,
    IReadOnlyList<Wave> Waves,
    IReadOnlyList<string> Warnings,
    Selection Selection)
{
    public IEnumerable<PlannedObject> Objects => Waves.SelectMany(w => w.Objects);

    public IReadOnlyList<string> WorkPackageDependencies =>
        Waves.SelectMany(w => w.DependsOnWorkPackages).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public int LevelCount => Waves.Count == 0 ? 0 : Waves.Max(w => w.Level) + 1;
}
