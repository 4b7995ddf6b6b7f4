using Nautilus.Core.Planning;

namespace Nautilus.Core.NetBox;

public sealed record StatusChange(ObjectKind Kind, int Id, string Name, string From, string To)
{
    public override string ToString() => $"{Kind.Noun()} '{Name}' (id {Id}): {From} → {To}";
}

/// <summary>
/// `netbox update-status`: every VM and device carrying a tag (and matching the selection filters) set to one status
/// with bulk PATCHes of at most <see cref="NetBoxOptions.BulkChunkSize"/> objects, and a journal entry on each.
/// </summary>
public sealed class StatusUpdate(NetBoxClient client)
{
    /// <summary>NetBox's VirtualMachineStatusChoices and DeviceStatusChoices (4.x).</summary>
    public static readonly IReadOnlySet<string> VmStatuses = new HashSet<string>(StringComparer.Ordinal) { "offline", "active", "planned", "staged", "failed", "decommissioning", "paused" };

    public static readonly IReadOnlySet<string> DeviceStatuses = new HashSet<string>(StringComparer.Ordinal) { "offline", "active", "planned", "staged", "failed", "inventory", "decommissioning" };

    public static void Validate(string status, string? from)
    {
        var problems = new List<string>();
        foreach (var (value, option) in new[] { (status, "--status"), (from, "--from") })
        {
            if (value is not null && !VmStatuses.Contains(value) && !DeviceStatuses.Contains(value))
            {
                problems.Add($"{option} '{value}' is not a NetBox status (one of {string.Join(", ", VmStatuses.Union(DeviceStatuses).Order(StringComparer.Ordinal))})");
            }
        }

        if (problems.Count > 0)
        {
            throw NautilusException.Usage(string.Join("; ", problems) + ".");
        }
    }

    /// <param name="from">Only objects with this status (e.g. planned); null takes every status.</param>
    public async Task<IReadOnlyList<StatusChange>> RunAsync(string tagName, string status, Selection selection, string? from, bool dryRun, string reason, CancellationToken cancellationToken)
    {
        Validate(status, from);
        var tag = await client.FindTagAsync(tagName, cancellationToken).ConfigureAwait(false)
            ?? throw NautilusException.InvalidData($"NetBox at {client.Options.BaseUrl} has no tag '{tagName}'. Check the name (e.g. wp:<work package>), or create it with 'nautilus wp init'.");

        var query = from is null ? ObjectQuery.ForTag(tag.Slug) : ObjectQuery.ForTag(tag.Slug, from);
        var vms = await client.ListVirtualMachinesAsync(query, cancellationToken).ConfigureAwait(false);
        var devices = await client.ListDevicesAsync(query, cancellationToken).ConfigureAwait(false);
        var selected = vms.Cast<NetBoxObject>().Concat(devices)
            .Where(o => o.StatusValue != status)
            .Where(o => selection.IsEmpty || selection.Matches(Planner.Classify(o)))
            .OrderBy(o => o.Kind).ThenBy(o => o.Id)
            .ToList();

        var invalid = selected.Where(o => !(o.Kind == ObjectKind.VirtualMachine ? VmStatuses : DeviceStatuses).Contains(status)).ToList();
        if (invalid.Count > 0)
        {
            throw NautilusException.InvalidData(
                $"Status '{status}' does not exist for {(invalid[0].Kind == ObjectKind.VirtualMachine ? "virtual machines" : "devices")} in NetBox, and the selection holds {string.Join(", ", invalid.Take(5).Select(Planner.Describe))}{(invalid.Count > 5 ? $" and {invalid.Count - 5} more" : "")}. Choose another status or narrow the selection.");
        }

        var changes = selected.Select(o => new StatusChange(o.Kind, o.Id, o.DisplayName, o.StatusValue, status)).ToList();
        if (dryRun || changes.Count == 0)
        {
            return changes;
        }

        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            var patch = changes.Where(c => c.Kind == kind)
                .Select(c => (IDictionary<string, object?>)new Dictionary<string, object?> { ["id"] = c.Id, ["status"] = status })
                .ToList();
            if (patch.Count > 0)
            {
                await client.BulkUpdateAsync(kind, patch, cancellationToken).ConfigureAwait(false);
            }
        }

        await client.CreateJournalEntriesAsync(
            changes.Select(c => new NewJournalEntry(c.Kind.ContentType(), c.Id, $"Status {c.From} → {c.To} by Nautilus ({reason}).")).ToList(),
            cancellationToken).ConfigureAwait(false);
        return changes;
    }
}
