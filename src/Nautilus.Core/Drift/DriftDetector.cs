using System.Globalization;
using System.Text.Json.Serialization;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.Drift;

public enum DriftKind
{
    /// <summary>In a state, but NetBox still says planned.</summary>
    DeployedButPlanned,

    /// <summary>Active in NetBox, in no state.</summary>
    ActiveButMissing,

    /// <summary>vcpus, memory, disk or name differ between NetBox and the state.</summary>
    AttributeMismatch,

    /// <summary>A resource that names a NetBox object which is not planned or active in the work package (deleted, retired or untagged).</summary>
    NotInNetBox,
}

public sealed record DriftItem(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("object_type")] string ObjectType,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("wave")] string? Wave,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("address")] string? Address,
    [property: JsonPropertyName("attribute")] string? Attribute,
    [property: JsonPropertyName("netbox")] string? NetBox,
    [property: JsonPropertyName("terraform")] string? Terraform,
    [property: JsonPropertyName("message")] string Message);

public sealed record StateSummary(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("wave")] string? Wave,
    [property: JsonPropertyName("found")] bool Found,
    [property: JsonPropertyName("serial")] long? Serial,
    [property: JsonPropertyName("objects")] int Objects);

public sealed record DriftReport(
    [property: JsonPropertyName("work_package")] string WorkPackage,
    [property: JsonPropertyName("netbox")] string NetBox,
    [property: JsonPropertyName("states_from")] string StatesFrom,
    [property: JsonPropertyName("objects")] int Objects,
    [property: JsonPropertyName("states")] IReadOnlyList<StateSummary> States,
    [property: JsonPropertyName("drift")] IReadOnlyList<DriftItem> Drift)
{
    [JsonPropertyName("drifted")]
    public bool Drifted => Drift.Count > 0;

    /// <summary>The NetBox data compared: "main", a netbox-branching branch's name, or null for an export file.</summary>
    [JsonPropertyName("netbox_branch")]
    public string? NetBoxBranch { get; init; }
}

/// <summary>
/// Compares NetBox (what should exist) with the waves' Terraform states (what does), docs/design.md §7: every
/// object of the work package that is planned or active against every resource that names a NetBox object.
/// </summary>
public sealed class DriftDetector(ITerraformStateSource states)
{
    public async Task<DriftReport> DetectAsync(
        NetBoxSnapshot snapshot,
        string workPackage,
        string netboxDescription,
        IEnumerable<string> extraStateNames,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, (ObjectKind Kind, int Id)>>? knownAddresses,
        CancellationToken cancellationToken)
    {
        var plan = Planner.Plan(snapshot, workPackage, netboxDescription, statuses: ["planned", "active"]);
        var waveOf = plan.Waves.SelectMany(w => w.Objects.Select(o => (o, w))).ToDictionary(x => (x.o.Kind, x.o.Id), x => x.w.Name);
        var stateNames = plan.Waves.Select(w => (w.StateName, (string?)w.Name))
            .Concat(extraStateNames.Select(n => (n, (string?)null)))
            .DistinctBy(s => s.Item1, StringComparer.Ordinal)
            .ToList();

        var summaries = new List<StateSummary>();
        var inState = new List<StateObject>();
        foreach (var (name, wave) in stateNames)
        {
            var state = await states.GetAsync(name, cancellationToken).ConfigureAwait(false);
            var objects = state is null ? [] : StateResources.Read(state, name, knownAddresses?.GetValueOrDefault(name));
            inState.AddRange(objects);
            summaries.Add(new StateSummary(name, wave, state is not null, state?.Serial, objects.Count));
        }

        var diskInGb = snapshot.DiskIsGigabytes;
        var objectsByKey = plan.Objects.ToDictionary(o => (o.Kind, o.Id));
        var seen = inState.GroupBy(s => (s.Kind, s.Id)).ToDictionary(g => g.Key, g => g.ToList());
        var drift = new List<DriftItem>();
        foreach (var o in plan.Objects.OrderBy(o => o.Kind).ThenBy(o => o.Id))
        {
            var wave = waveOf.GetValueOrDefault((o.Kind, o.Id));
            var label = NetBoxConventions.Describe(o.Source);
            if (!seen.TryGetValue((o.Kind, o.Id), out var resources))
            {
                if (o.Status == "active")
                {
                    drift.Add(Item(DriftKind.ActiveButMissing, o, wave, null, null, null, null,
                        $"{label} is active in NetBox but in no Terraform state of work package {workPackage} (looked in " +
                            $"{string.Join(", ", stateNames.Select(s => s.Item1))}). Import it, re-apply its wave, or set its status to what is true."));
                }

                continue;
            }

            var r = resources[0];
            if (o.Status == "planned")
            {
                drift.Add(Item(DriftKind.DeployedButPlanned, o, wave, r, null, "planned", "deployed",
                    $"{label} is deployed ({r.Address} in state {r.StateName}) but NetBox still says planned. Run " +
                        $"'{SyncCommand(workPackage, [(o.Kind, o.Id)])}' (or deploy its wave again) to sync."));
            }

            foreach (var (attribute, netbox, terraform) in Mismatches(o.Source, r, diskInGb))
            {
                drift.Add(Item(DriftKind.AttributeMismatch, o, wave, r, attribute, netbox, terraform,
                    $"{label}: {attribute} is {netbox} in NetBox and {terraform} in {r.Address} (state {r.StateName}). Change NetBox or apply its wave " +
                        $"again."));
            }
        }

        foreach (var (key, resources) in seen.OrderBy(s => s.Key.Kind).ThenBy(s => s.Key.Id))
        {
            if (objectsByKey.ContainsKey(key))
            {
                continue;
            }

            var r = resources[0];
            var other = snapshot.Objects.FirstOrDefault(o => o.Kind == key.Kind && o.Id == key.Id);
            var why = other is null ? "is not in the work package in NetBox (deleted or untagged)" : $"has status {other.StatusValue} in NetBox";
            drift.Add(new DriftItem(
                Name(DriftKind.NotInNetBox), key.Kind.ContentType(), key.Id, other?.DisplayName ?? r.Name ?? $"{key.Kind.Noun()}-{key.Id}", null, r.StateName,
                    r.Address, null, other?.StatusValue, "deployed",
                $"{r.Address} in state {r.StateName} stands for {key.Kind.Noun()} id {key.Id}, which {why}. Destroy the resource or fix NetBox."));
        }

        return new DriftReport(workPackage, netboxDescription, states.Description, plan.Objects.Count(), summaries, drift);
    }

    /// <summary>
    /// The update-status command that marks exactly these objects active: by id, and only while they are still planned,
    /// never the whole work package (most of it may rightly be planned still).
    /// </summary>
    public static string SyncCommand(string workPackage, IEnumerable<(ObjectKind Kind, int Id)> objects) =>
        $"nautilus netbox update-status --wp {workPackage} --from planned --status active " +
            $"{string.Join(' ', objects.Select(o => $"--id {o.Kind.Noun()}:{o.Id.ToString(CultureInfo.InvariantCulture)}"))}";

    private static IEnumerable<(string Attribute, string NetBox, string Terraform)> Mismatches(NetBoxObject o, StateObject r, bool diskInGb)
    {
        if (r.Name is not null && o.Name is not null && r.Name != o.Name)
        {
            yield return ("name", o.Name, r.Name);
        }

        if (o is not VirtualMachine vm)
        {
            yield break;
        }

        // Sizes are compared in the state's units, converted from NetBox the way generation converts them.
        if (vm.Vcpus is { } vcpus && r.Vcpus is { } cpus && (r.InProviderUnits ? ProviderUnits.Cpus(vcpus) : vcpus) != cpus)
        {
            yield return ("vcpus", r.InProviderUnits
                && ProviderUnits.Cpus(vcpus) != vcpus ? $"{Format(vcpus)} ({ProviderUnits.Cpus(vcpus)} whole)" : Format(vcpus), Format(cpus));
        }

        if (vm.Memory is { } memory && r.MemoryMb is { } mem && memory != mem)
        {
            yield return ("memory", $"{memory} MB", $"{mem} MB");
        }

        if (vm.Disk is { } disk && r.Disk is { } stateDisk)
        {
            var netboxText = diskInGb ? $"{disk} GB" : $"{disk} MB";
            if (r.InProviderUnits)
            {
                var expected = ProviderUnits.DiskGb(disk, diskInGb);
                if (expected != stateDisk)
                {
                    yield return ("disk", diskInGb ? netboxText : $"{netboxText} ({expected} GB)", $"{stateDisk} GB");
                }
            }
            else if ((diskInGb ? disk * 1000 : disk) != stateDisk)
            {
                yield return ("disk", netboxText, $"{stateDisk} MB");
            }
        }
    }

    private static DriftItem Item(DriftKind kind, PlannedObject o, string? wave, StateObject? r, string? attribute, string? netbox, string? terraform,
        string message) =>
        new(Name(kind), o.Source.ObjectType, o.Id, o.Name, wave, r?.StateName, r?.Address, attribute, netbox, terraform, message);

    public static string Name(DriftKind kind) => kind switch
    {
        DriftKind.DeployedButPlanned => "deployed_but_planned",
        DriftKind.ActiveButMissing => "active_but_missing",
        DriftKind.AttributeMismatch => "attribute_mismatch",
        _ => "not_in_netbox",
    };

    private static string Format(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
