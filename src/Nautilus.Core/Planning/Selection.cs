using System.Globalization;
using Nautilus.Core.NetBox;

namespace Nautilus.Core.Planning;

/// <summary>The selection filters every command that selects objects takes (docs/design.md §2).</summary>
public sealed record Selection
{
    public IReadOnlySet<string> Waves { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    public string? Priority { get; init; }
    public string? Sprint { get; init; }
    public int? SequenceFrom { get; init; }
    public int? SequenceTo { get; init; }

    /// <summary>Objects picked one by one (`vm:12`, `device:7`, or a bare id of either kind), e.g. only what drift found.</summary>
    public IReadOnlyList<(ObjectKind? Kind, int Id)> Ids { get; init; } = [];

    /// <summary>Objects picked by their NetBox name.</summary>
    public IReadOnlySet<string> Names { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public static Selection All { get; } = new();

    public bool IsEmpty => Waves.Count == 0 && Priority is null && Sprint is null && SequenceFrom is null && SequenceTo is null && Ids.Count == 0
        && Names.Count == 0;

    /// <summary>This selection narrowed to the objects named by id or name (either matches); none given keeps it as it is.</summary>
    public Selection WithObjects(string[]? ids, string[]? names)
    {
        var problems = new List<string>();
        var parsed = new List<(ObjectKind?, int)>();
        foreach (var id in (ids ?? []).SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var parts = id.Split(':', 2);
            ObjectKind? kind = parts.Length == 1 ? null : parts[0] switch
            {
                "vm" => ObjectKind.VirtualMachine,
                "device" => ObjectKind.Device,
                _ => null,
            };
            if ((parts.Length == 2 && kind is null) || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                problems.Add($"--id '{id}' is not an object id (vm:<id>, device:<id>, or <id> for either)");
                continue;
            }

            parsed.Add((kind, value));
        }

        if (problems.Count > 0)
        {
            throw NautilusException.Usage(string.Join("; ", problems) + ".");
        }

        var nameSet = new HashSet<string>((names ?? []).Where(n => n.Length > 0), StringComparer.Ordinal);
        return this with { Ids = parsed.Distinct().ToList(), Names = nameSet };
    }

    public static Selection Parse(string[]? waves, string? priority, string? sprint, string? sequence)
    {
        var problems = new List<string>();
        var waveSet = new HashSet<string>(
            (waves ?? []).SelectMany(w => w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            StringComparer.Ordinal);
        if (priority is not null && priority is not ("high" or "medium" or "low"))
        {
            problems.Add($"--priority '{priority}' is not one of high, medium, low");
        }

        int? from = null, to = null;
        if (sequence is not null)
        {
            var parts = sequence.Split('-', 2);
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b)
                && a <= b)
            {
                (from, to) = (a, b);
            }
            else if (int.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var single))
            {
                (from, to) = (single, single);
            }
            else
            {
                problems.Add($"--sequence '{sequence}' is not a range A-B of whole numbers with A <= B (e.g. 10-20)");
            }
        }

        if (problems.Count > 0)
        {
            throw NautilusException.Usage(string.Join("; ", problems) + ".");
        }

        return new Selection { Waves = waveSet, Priority = priority, Sprint = string.IsNullOrEmpty(sprint) ? null : sprint, SequenceFrom = from,
            SequenceTo = to };
    }

    public bool Matches(PlannedObject o) =>
        (Waves.Count == 0 || Waves.Contains(o.Wave))
        && (Priority is null || o.Priority == Priority)
        && (Sprint is null || o.Sprint == Sprint)
        && (SequenceFrom is null || (o.Sequence is int s && s >= SequenceFrom && s <= SequenceTo))
        && ((Ids.Count == 0 && Names.Count == 0) || Names.Contains(o.Name) || Ids.Any(i => i.Id == o.Id && (i.Kind is null || i.Kind == o.Kind)));

    public override string ToString()
    {
        var parts = new List<string>();
        if (Waves.Count > 0)
        {
            parts.Add("--wave " + string.Join(',', Waves.Order(StringComparer.Ordinal)));
        }

        if (Priority is not null)
        {
            parts.Add("--priority " + Priority);
        }

        if (Sprint is not null)
        {
            parts.Add("--sprint " + Sprint);
        }

        if (SequenceFrom is not null)
        {
            parts.Add($"--sequence {SequenceFrom}-{SequenceTo}");
        }

        parts.AddRange(Ids.Select(i => $"--id {(i.Kind is { } k ? k.Noun() + ":" : "")}{i.Id.ToString(CultureInfo.InvariantCulture)}"));
        parts.AddRange(Names.Order(StringComparer.Ordinal).Select(n => $"--name {n}"));

        return parts.Count == 0 ? "(none)" : string.Join(' ', parts);
    }
}
