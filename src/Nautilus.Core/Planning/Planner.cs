using System.Globalization;
using System.Text;
using System.Text.Json;
using Nautilus.Core.NetBox;

namespace Nautilus.Core.Planning;

/// <summary>
/// Turns tags and custom fields into ordered deployment waves (docs/design.md §2). Every problem found is
/// collected and reported together, naming the objects (exit 3).
/// </summary>
public static class Planner
{
    /// <param name="snapshot">Every object of the work package, whatever its status.</param>
    /// <param name="statuses">Statuses in scope (generation: planned); null takes every status (wp status).</param>
    public static WavePlan Plan(
        NetBoxSnapshot snapshot,
        string workPackage,
        string source,
        Selection? selection = null,
        IReadOnlyCollection<string>? statuses = null)
    {
        selection ??= Selection.All;
        var problems = new List<string>();
        var warnings = new List<string>();
        var wpTag = WorkPackage.TagName(workPackage);

        var all = snapshot.Objects.Where(o => o.HasTag(wpTag)).ToList();
        var knownWaves = new HashSet<string>(StringComparer.Ordinal);
        var planned = new List<PlannedObject>();
        var everyone = new List<PlannedObject>();
        foreach (var o in all)
        {
            var p = Read(o, problems, warnings);
            knownWaves.Add(p.Wave);
            everyone.Add(p);
            if (statuses is null || statuses.Contains(o.StatusValue))
            {
                planned.Add(p);
            }
        }

        CheckSelection(selection, everyone, workPackage);

        // Waves, their ranks and the base levels that equal ranks form.
        var byWave = planned.GroupBy(p => p.Wave, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Sequence ?? int.MaxValue).ThenBy(p => p.Sequence is null ? 1 : 0)
                .ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Id).ToList(), StringComparer.Ordinal);
        var ranks = byWave.ToDictionary(kv => kv.Key, kv => kv.Value.Min(p => p.Sequence), StringComparer.Ordinal);
        var distinctRanks = ranks.Values.Distinct().OrderBy(r => r ?? int.MaxValue).ThenBy(r => r is null ? 1 : 0).ToList();
        var baseLevel = ranks.ToDictionary(kv => kv.Key, kv => distinctRanks.IndexOf(kv.Value), StringComparer.Ordinal);

        var keys = WaveKeys(byWave.Keys, problems);

        // Edges: every wave of the previous level, plus explicit depends-on:wave: tags.
        var deps = byWave.Keys.ToDictionary(w => w, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var explicitBy = new Dictionary<(string From, string To), List<string>>();
        foreach (var wave in byWave.Keys)
        {
            foreach (var other in byWave.Keys.Where(o => baseLevel[o] == baseLevel[wave] - 1))
            {
                deps[wave].Add(other);
            }
        }

        foreach (var p in planned)
        {
            foreach (var target in NetBoxConventions.TagValues(p.Source, Tags.DependsOnWavePrefix))
            {
                if (!knownWaves.Contains(target))
                {
                    problems.Add($"{NetBoxConventions.Describe(p.Source)} depends on wave '{target}' (tag depends-on:wave:{target}), but no object of work " +
                        $"package '{workPackage}' is in that wave. Fix the tag or the wave name.");
                    continue;
                }

                if (!byWave.ContainsKey(target))
                {
                    continue; // every object of that wave is past the statuses in scope (already deployed): satisfied.
                }

                deps[p.Wave].Add(target);
                if (!explicitBy.TryGetValue((p.Wave, target), out var owners))
                {
                    explicitBy[(p.Wave, target)] = owners = [];
                }

                owners.Add(NetBoxConventions.Describe(p.Source));
            }
        }

        var levels = Levels(deps, explicitBy, problems);
        if (problems.Count > 0)
        {
            throw NautilusException.InvalidData(
                $"The plan of work package '{workPackage}' from {source} has {problems.Count} problem(s):" + Environment.NewLine
                    + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)),
                problems);
        }

        var waves = byWave.Keys
            .OrderBy(w => levels[w]).ThenBy(w => ranks[w] ?? int.MaxValue).ThenBy(w => w, StringComparer.Ordinal)
            .Select(w => new Wave
            {
                Name = w,
                Key = keys[w],
                Level = levels[w],
                Rank = ranks[w],
                DependsOn = deps[w].OrderBy(d => levels[d]).ThenBy(d => d, StringComparer.Ordinal).ToList(),
                DependsOnWorkPackages = byWave[w].SelectMany(p => NetBoxConventions.TagValues(p.Source, Tags.DependsOnWpPrefix))
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                StateName = $"{workPackage}-{keys[w]}",
                Objects = byWave[w],
            })
            .ToList();

        foreach (var dependency in waves.SelectMany(w => w.DependsOnWorkPackages).Distinct())
        {
            if (!WorkPackage.IsValid(dependency))
            {
                throw NautilusException.InvalidData($"Tag depends-on:wp:{dependency} in work package '{workPackage}' names an invalid work package. Fix the " +
                    $"tag in NetBox.");
            }

            if (dependency == workPackage)
            {
                warnings.Add($"Work package '{workPackage}' depends on itself (tag depends-on:wp:{workPackage}); ignored.");
            }
        }

        waves = waves.Select(w => w with { DependsOnWorkPackages = w.DependsOnWorkPackages.Where(d => d != workPackage).ToList() }).ToList();
        return Select(new WavePlan(workPackage, source, waves, warnings.Distinct().ToList(), selection));
    }

    /// <summary>
    /// A wave, priority or sprint that no object of the work package has is a typo, not an empty selection: selecting
    /// nothing would generate an empty layout (and drop the waves generated before) or deploy nothing, with exit 0.
    /// </summary>
    private static void CheckSelection(Selection selection, List<PlannedObject> everyone, string workPackage)
    {
        var problems = new List<string>();
        void Check(string option, IEnumerable<string> wanted, IEnumerable<string?> values)
        {
            var known = values.Where(v => v is not null).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var value in wanted.Where(w => !known.Contains(w, StringComparer.Ordinal)))
            {
                problems.Add($"{option} '{value}' matches no object of work package '{workPackage}'.{Spelling.DidYouMean(value, known)} " +
                    $"{(known.Count == 0 ? $"No object has a {option[2..]}." : $"Known: {string.Join(", ", known)}.")}");
            }
        }

        Check("--wave", selection.Waves.Order(StringComparer.Ordinal), everyone.Select(p => p.Wave));
        Check("--priority", selection.Priority is null ? [] : [selection.Priority], everyone.Select(p => p.Priority));
        Check("--sprint", selection.Sprint is null ? [] : [selection.Sprint], everyone.Select(p => p.Sprint));
        if (problems.Count > 0)
        {
            throw NautilusException.Usage(string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>Keeps the selected objects and the waves that still hold some; dependencies stay within the selection.</summary>
    private static WavePlan Select(WavePlan plan)
    {
        if (plan.Selection.IsEmpty)
        {
            return plan;
        }

        var waves = plan.Waves
            .Select(w => w with { Objects = w.Objects.Where(plan.Selection.Matches).ToList() })
            .Where(w => w.Objects.Count > 0)
            .ToList();
        var kept = waves.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        waves = waves.Select(w => w with { DependsOn = w.DependsOn.Where(kept.Contains).ToList() }).ToList();
        return plan with { Waves = waves };
    }

    /// <summary>
    /// Objects' waves, sequences, priorities and sprints read exactly as <see cref="Plan"/> reads them, for whatever
    /// selects objects outside a plan (netbox update-status, the webhook's deploy sync). A problem the plan would
    /// report (several wave tags, a sequence that is not a number) is reported the same way: every one, exit 3.
    /// </summary>
    public static IReadOnlyList<PlannedObject> Classify(IEnumerable<NetBoxObject> objects, string source)
    {
        var problems = new List<string>();
        var classified = objects.Select(o => Read(o, problems, [])).ToList();
        if (problems.Count > 0)
        {
            throw NautilusException.InvalidData(
                $"Objects from {source} cannot be placed in a wave ({problems.Count} problem(s)):" + Environment.NewLine
                    + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)),
                problems);
        }

        return classified;
    }

    private static PlannedObject Read(NetBoxObject o, List<string> problems, List<string> warnings)
    {
        var (wave, problem, warning) = NetBoxConventions.WaveOf(o);
        if (problem is not null)
        {
            problems.Add(problem);
        }

        if (warning is not null)
        {
            warnings.Add(warning);
        }

        int? sequence = null;
        if (o.CustomFields is not null && o.CustomFields.TryGetValue(NetBoxConventions.SequenceField, out var raw)
            && raw.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            if (raw.ValueKind == JsonValueKind.Number && raw.TryGetInt32(out var n))
            {
                sequence = n;
            }
            else if (raw.ValueKind == JsonValueKind.String
                && int.TryParse(raw.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                sequence = parsed;
            }
            else if (!(raw.ValueKind == JsonValueKind.String && string.IsNullOrEmpty(raw.GetString())))
            {
                problems.Add($"{NetBoxConventions.Describe(o)} has custom field {NetBoxConventions.SequenceField} = {raw.GetRawText()}, which is not a whole " +
                    $"number. Set an integer or clear it.");
            }
        }

        var priorities = NetBoxConventions.TagValues(o, Tags.PriorityPrefix).Distinct(StringComparer.Ordinal).ToList();
        if (priorities.Count > 1)
        {
            warnings.Add($"{NetBoxConventions.Describe(o)} has several priority tags ({string.Join(", ", priorities)}); " +
                $"'{priorities.Order(StringComparer.Ordinal).First()}' is used.");
        }

        var priority = priorities.Order(StringComparer.Ordinal).FirstOrDefault();
        var sprint = NetBoxConventions.TagValues(o, Tags.SprintPrefix).Order(StringComparer.Ordinal).FirstOrDefault();
        return new PlannedObject(o, wave, sequence, priority, sprint);
    }

    /// <summary>Levels are depths in the dependency graph (longest path), which equals the rank level when no explicit edge reorders.</summary>
    private static Dictionary<string, int> Levels(
        Dictionary<string, SortedSet<string>> deps,
        Dictionary<(string From, string To), List<string>> explicitBy,
        List<string> problems)
    {
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var stack = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        int Visit(string wave)
        {
            if (state.TryGetValue(wave, out var s))
            {
                if (s == 2)
                {
                    return levels[wave];
                }

                var cycle = stack.Skip(stack.IndexOf(wave)).Append(wave).ToList();
                var key = string.Join("|", cycle.Skip(1).Order(StringComparer.Ordinal));
                if (reported.Add(key))
                {
                    var edges = new List<string>();
                    for (var i = 0; i + 1 < cycle.Count; i++)
                    {
                        if (explicitBy.TryGetValue((cycle[i], cycle[i + 1]), out var owners))
                        {
                            edges.Add($"wave '{cycle[i]}' → '{cycle[i + 1]}' by tag depends-on:wave:{cycle[i + 1]} on {string.Join(", ", owners.Distinct())}");
                        }
                    }

                    problems.Add($"Wave dependencies form a cycle: {string.Join(" → ", cycle)} ({string.Join("; ", edges)}). Remove one of these tags or " +
                        $"change deployment_sequence so the order agrees.");
                }

                return 0;
            }

            state[wave] = 1;
            stack.Add(wave);
            var level = 0;
            foreach (var d in deps[wave])
            {
                level = Math.Max(level, Visit(d) + 1);
            }

            stack.RemoveAt(stack.Count - 1);
            state[wave] = 2;
            levels[wave] = level;
            return level;
        }

        foreach (var wave in deps.Keys.Order(StringComparer.Ordinal))
        {
            Visit(wave);
        }

        return levels;
    }

    /// <summary>File-, job- and state-safe keys; two names that sanitise alike are an error naming both.</summary>
    private static Dictionary<string, string> WaveKeys(IEnumerable<string> waves, List<string> problems)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var wave in waves.Order(StringComparer.Ordinal))
        {
            var key = KeyOf(wave);
            if (owners.TryGetValue(key, out var other))
            {
                problems.Add($"Waves '{other}' and '{wave}' both become '{key}' as a directory and state name. Rename one of them.");
            }

            owners[key] = wave;
            keys[wave] = key;
        }

        return keys;
    }

    public static string KeyOf(string wave)
    {
        var sb = new StringBuilder(wave.Length);
        foreach (var c in wave.ToLowerInvariant())
        {
            sb.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' ? c : '-');
        }

        var key = sb.ToString().Trim('-', '_');
        if (key.Length > 63)
        {
            key = key[..63].TrimEnd('-', '_');
        }

        return key.Length == 0 ? "wave" : key;
    }
}
