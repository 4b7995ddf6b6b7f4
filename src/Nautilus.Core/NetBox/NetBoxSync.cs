using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Nautilus.Core.NetBox;

/// <summary>An object Nautilus writes to: a wave's object with what its outputs said (IPv4, may be unknown), or one a handler selected.</summary>
public sealed record SyncTarget(ObjectKind Kind, int Id, string Name, string? Ipv4 = null)
{
    public static SyncTarget Of(NetBoxObject o) => new(o.Kind, o.Id, o.DisplayName);

    public override string ToString() => $"{Kind.Noun()} '{Name}' (id {Id})";
}

/// <summary>A wave Terraform applied (or failed to apply), and the CI job that did it.</summary>
/// <param name="JobUrl">Linked from each journal entry, so NetBox users find the job that deployed the object.</param>
public sealed record SyncRequest(string WorkPackage, string Wave, string StateName, IReadOnlyList<SyncTarget> Objects, string? JobUrl);

/// <summary>What changed on one object; null members did not change.</summary>
public sealed record SyncChange(ObjectKind Kind, int Id, string Name, string? FromStatus, string? ToStatus, string? FromIp, string? ToIp)
{
    public bool Changed => ToStatus is not null || ToIp is not null;

    public SyncTarget Target => new(Kind, Id, Name);

    public override string ToString()
    {
        var parts = new List<string>();
        if (ToStatus is not null)
        {
            parts.Add($"status {FromStatus} → {ToStatus}");
        }

        if (ToIp is not null)
        {
            parts.Add($"primary_ip4 {FromIp ?? "none"} → {ToIp}");
        }

        return $"{Kind.Noun()} '{Name}' (id {Id}): {(parts.Count == 0 ? "unchanged" : string.Join(", ", parts))}";
    }
}

public sealed record SyncResult(IReadOnlyList<SyncChange> Changes, IReadOnlyList<string> Warnings, int JournalEntries, int CreatedAddresses,
    int CreatedInterfaces);

/// <summary>NetBox's journal entry kinds (JournalEntryKindChoices).</summary>
public static class JournalKind
{
    public const string Info = "info";
    public const string Success = "success";
    public const string Warning = "warning";
    public const string Danger = "danger";
}

/// <summary>
/// Every NetBox write Nautilus makes to the objects of a work package, in one place: status flips, primary_ip4 from a
/// wave's outputs, tags, and the journal entries that say why. The CLI (iac deploy, netbox update-status) and the
/// webhook service (merge sync, deploy sync, branch tagging) call it. Every step is a list or a bulk request of at
/// most <see cref="NetBoxClient.MaxBulkChunk"/> objects, so the request count grows with chunks, not objects; and it converges when
/// run twice: an object already in the wanted state is not written again.
/// </summary>
public sealed class NetBoxSync(NetBoxClient client, ILogger logger, string interfaceName = "eth0")
{
    /// <summary>Ids or addresses per filter request: keeps the query string well under common 8 KB proxy limits.</summary>
    public const int FilterChunk = 200;

    /// <summary>NetBox's VirtualMachineStatusChoices and DeviceStatusChoices (4.x).</summary>
    public static readonly IReadOnlySet<string> VmStatuses = new HashSet<string>(StringComparer.Ordinal) { "offline", "active", "planned", "staged", "failed",
        "decommissioning", "paused" };

    public static readonly IReadOnlySet<string> DeviceStatuses = new HashSet<string>(StringComparer.Ordinal) { "offline", "active", "planned", "staged",
        "failed", "inventory", "decommissioning" };

    /// <summary>A status (and an optional --from) must be one NetBox knows: a usage error naming the choices, before any request.</summary>
    public static void ValidateStatus(string status, string? from)
    {
        var problems = new List<string>();
        foreach (var (value, option) in new[] { (status, "--status"), (from, "--from") })
        {
            if (value is not null && !VmStatuses.Contains(value) && !DeviceStatuses.Contains(value))
            {
                problems.Add($"{option} '{value}' is not a NetBox status (one of " +
                    $"{string.Join(", ", VmStatuses.Union(DeviceStatuses).Order(StringComparer.Ordinal))})");
            }
        }

        if (problems.Count > 0)
        {
            throw NautilusException.Usage(string.Join("; ", problems) + ".");
        }
    }

    /// <summary>
    /// After a wave's apply (iac deploy): status active, primary_ip4 from the outputs (the IP address created, or an
    /// unassigned one assigned, on an interface of the object, since NetBox only accepts a primary IP that is assigned
    /// to one of the object's own interfaces), and a journal entry on each object the wave applied, linking the job.
    /// </summary>
    public async Task<SyncResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var current = await ReadObjectsAsync(request.Objects, cancellationToken).ConfigureAwait(false);
        var present = new List<(SyncTarget Target, NetBoxObject Object)>();
        foreach (var target in request.Objects)
        {
            if (current.TryGetValue((target.Kind, target.Id), out var o))
            {
                present.Add((target, o));
            }
            else
            {
                warnings.Add($"{target} was applied by wave '{request.Wave}' but is no longer in NetBox; nothing to update. Check that it was not deleted by " +
                    $"mistake.");
            }
        }

        // Which objects need a new primary IPv4.
        var wanted = new Dictionary<(ObjectKind, int), (IPAddress Host, int Prefix)>();
        foreach (var (target, o) in present)
        {
            if (target.Ipv4 is null)
            {
                continue;
            }

            if (!TryParseIpv4(target.Ipv4, out var host, out var prefix))
            {
                warnings.Add($"{target}: the wave's output gives '{target.Ipv4}', which is not an IPv4 address; primary_ip4 left as it is.");
                continue;
            }

            if (o.PrimaryIp4?.Address is { } existing && TryParseIpv4(existing, out var existingHost, out _) && existingHost.Equals(host))
            {
                continue;
            }

            wanted[(target.Kind, target.Id)] = (host, prefix);
        }

        var primaryIps = new Dictionary<(ObjectKind, int), IpAddress>();
        var createdAddresses = 0;
        var createdInterfaces = 0;
        if (wanted.Count > 0)
        {
            (createdInterfaces, createdAddresses) = await AssignAddressesAsync(request, present, wanted, primaryIps, warnings, cancellationToken)
                .ConfigureAwait(false);
        }

        var changes = new List<SyncChange>();
        foreach (var (target, o) in present)
        {
            var toStatus = o.StatusValue != "active" ? "active" : null;
            primaryIps.TryGetValue((target.Kind, target.Id), out var ip);
            changes.Add(new SyncChange(target.Kind, target.Id, o.DisplayName, toStatus is null ? null : o.StatusValue, toStatus,
                ip is null ? null : o.PrimaryIp4?.Address, ip?.Address));
        }

        await PatchAsync(changes, primaryIps, cancellationToken).ConfigureAwait(false);

        // Every object the wave applied gets its entry, changed or not: it is the record of this deployment.
        var entries = changes.Select(c => new NewJournalEntry(c.Kind.ContentType(), c.Id, DeployedText(request, c), JournalKind.Success)).ToList();
        var journaled = await client.CreateJournalEntriesAsync(entries, cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "NetBox synced for wave {Wave}: {Changed} of {Count} objects changed, {Addresses} IP addresses and {Interfaces} interfaces created, {Journal} " +
                "journal entries",
            request.Wave, changes.Count(c => c.Changed), present.Count, createdAddresses, createdInterfaces, journaled);
        return new SyncResult(changes, warnings, journaled, createdAddresses, createdInterfaces);
    }

    /// <summary>
    /// After a wave's apply failed: a journal entry of kind danger on each object of the wave, linking the job, so
    /// NetBox shows why the object is still planned. Statuses stay as they are.
    /// </summary>
    public async Task<int> RecordFailedApplyAsync(SyncRequest request, string error, CancellationToken cancellationToken)
    {
        var job = request.JobUrl is { Length: > 0 } url ? $" in [job]({url})" : "";
        var text = $"Apply failed{job}: work package `{Plain(request.WorkPackage)}`, wave `{Plain(request.Wave)}`, Terraform state " +
            $"`{Plain(request.StateName)}`. "
                   + $"{Plain(error)}. The status was left as it is; the object is applied and set active when the wave's deploy succeeds.";
        var written = await client.CreateJournalEntriesAsync(request.Objects.Select(t =>
            new NewJournalEntry(t.Kind.ContentType(), t.Id, text, JournalKind.Danger)).ToList(), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Recorded the failed apply of wave {Wave} on {Count} NetBox objects", request.Wave, written);
        return written;
    }

    /// <summary>
    /// Sets <paramref name="status"/> on the targets that do not have it (and, with <paramref name="onlyFrom"/>, have that
    /// status now), reading their current status first: an object already there is not written. Returns what changed.
    /// </summary>
    public async Task<IReadOnlyList<SyncChange>> SetStatusAsync(IReadOnlyList<SyncTarget> targets, string status, string? onlyFrom,
        CancellationToken cancellationToken)
    {
        var current = await ReadObjectsAsync(targets, cancellationToken).ConfigureAwait(false);
        return await SetStatusAsync(current.Values.ToList(), status, onlyFrom, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As the other overload, for objects just read from NetBox (their status as read is trusted).</summary>
    public async Task<IReadOnlyList<SyncChange>> SetStatusAsync(IReadOnlyList<NetBoxObject> objects, string status, string? onlyFrom,
        CancellationToken cancellationToken)
    {
        var changes = Pending(objects, status, onlyFrom);
        await PatchAsync(changes, new Dictionary<(ObjectKind, int), IpAddress>(), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Set {Count} NetBox object(s) to status {Status}", changes.Count, status);
        return changes;
    }

    /// <summary>The status changes <see cref="SetStatusAsync(IReadOnlyList{NetBoxObject}, string, string?, CancellationToken)"/> would make (a dry run, or a
    /// handler saving its targets first).</summary>
    public static IReadOnlyList<SyncChange> Pending(IEnumerable<NetBoxObject> objects, string status, string? onlyFrom) =>
        objects.Where(o => o.StatusValue != status && (onlyFrom is null || o.StatusValue == onlyFrom))
            .OrderBy(o => o.Kind).ThenBy(o => o.Id)
            .Select(o => new SyncChange(o.Kind, o.Id, o.DisplayName, o.StatusValue, status, null, null))
            .ToList();

    /// <summary>The targets as NetBox holds them now, by kind and id; deleted objects are absent.</summary>
    public async Task<IReadOnlyDictionary<(ObjectKind Kind, int Id), NetBoxObject>> ReadAsync(IReadOnlyList<SyncTarget> targets,
        CancellationToken cancellationToken) =>
        await ReadObjectsAsync(targets, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One journal entry per target. With a <paramref name="marker"/> (unique to the event, e.g. a webhook delivery's
    /// step), the text carries it and, when <paramref name="resume"/> says an earlier attempt may have written some
    /// entries before it died, targets that already have an entry with the marker are skipped: exactly one each.
    /// </summary>
    public async Task<int> JournalAsync(IReadOnlyList<SyncTarget> targets, string comment, string kind, string? marker, bool resume,
        CancellationToken cancellationToken)
    {
        var remaining = targets;
        if (marker is not null && resume && targets.Count > 0)
        {
            var written = await client.ListJournalEntriesAsync(new Dictionary<string, object> { ["q"] = marker }, cancellationToken).ConfigureAwait(false);
            var done = written.Where(e => e.Comments.Contains(marker, StringComparison.Ordinal))
                .Select(e => (e.AssignedObjectType, e.AssignedObjectId)).ToHashSet();
            remaining = targets.Where(t => !done.Contains((t.Kind.ContentType(), t.Id))).ToList();
        }

        var text = marker is null ? comment : $"{comment}\n\n{marker}";
        return await client.CreateJournalEntriesAsync(remaining.Select(t => new NewJournalEntry(t.Kind.ContentType(), t.Id, text, kind)).ToList(),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds a tag without touching the objects' other tags: add_tags on NetBox 4.6+ (#21771), else each object's tag
    /// list as NetBox holds it now plus the new one (tags in a PATCH replaces the whole list).
    /// </summary>
    public async Task<int> AddTagAsync(Tag tag, IReadOnlyList<SyncTarget> targets, CancellationToken cancellationToken)
    {
        var incremental = SupportsAddTags(client.ServerVersion);
        var current = incremental ? null : await ReadObjectsAsync(targets, cancellationToken, "id,tags").ConfigureAwait(false);
        var updated = 0;
        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            var changes = new List<IDictionary<string, object?>>();
            foreach (var t in targets.Where(t => t.Kind == kind))
            {
                if (incremental)
                {
                    changes.Add(new Dictionary<string, object?> { ["id"] = t.Id, ["add_tags"] = new[] { new Dictionary<string, object> { ["id"] = tag.Id } } });
                }
                else if (current!.TryGetValue((kind, t.Id), out var o) && !o.Tags.Exists(x => x.Id == tag.Id))
                {
                    changes.Add(new Dictionary<string, object?> { ["id"] = t.Id,
                        ["tags"] = o.Tags.Select(x => x.Id).Append(tag.Id).Select(id => new Dictionary<string, object> { ["id"] = id }).ToList() });
                }
            }

            updated += await client.BulkUpdateAsync(kind, changes, cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Tagged {Count} NetBox object(s) with {Tag}", updated, tag.Name);
        return updated;
    }

    public static bool SupportsAddTags(string? apiVersion) =>
        Version.TryParse(apiVersion, out var v) && (v.Major > 4 || (v.Major == 4 && v.Minor >= 6));

    /// <summary>Planned objects tagged with the work package; none when the tag does not exist (NetBox answers 400 for an unknown tag slug).</summary>
    public async Task<List<NetBoxObject>> PlannedAsync(string workPackage, CancellationToken cancellationToken)
    {
        var tag = await client.FindTagAsync(WorkPackage.TagName(workPackage), cancellationToken).ConfigureAwait(false);
        if (tag is null)
        {
            return [];
        }

        var query = ObjectQuery.ForTag(tag.Slug, "planned");
        var vms = client.ListVirtualMachinesAsync(query, cancellationToken);
        var devices = client.ListDevicesAsync(query, cancellationToken);
        return [.. await vms.ConfigureAwait(false), .. await devices.ConfigureAwait(false)];
    }

    /// <summary>Status and primary IP in one bulk PATCH per kind and chunk; unchanged objects are not sent.</summary>
    private async Task PatchAsync(IReadOnlyList<SyncChange> changes, IReadOnlyDictionary<(ObjectKind, int), IpAddress> primaryIps,
        CancellationToken cancellationToken)
    {
        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            var patches = new List<IDictionary<string, object?>>();
            foreach (var c in changes.Where(c => c.Kind == kind && c.Changed))
            {
                var patch = new Dictionary<string, object?> { ["id"] = c.Id };
                if (c.ToStatus is not null)
                {
                    patch["status"] = c.ToStatus;
                }

                if (primaryIps.TryGetValue((c.Kind, c.Id), out var ip))
                {
                    patch["primary_ip4"] = ip.Id;
                }

                patches.Add(patch);
            }

            await client.BulkUpdateAsync(kind, patches, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Dictionary<(ObjectKind, int), NetBoxObject>> ReadObjectsAsync(IReadOnlyList<SyncTarget> targets, CancellationToken cancellationToken,
        string fields = "id,url,display,name,status,primary_ip4")
    {
        var result = new Dictionary<(ObjectKind, int), NetBoxObject>();
        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            foreach (var chunk in targets.Where(t => t.Kind == kind).Select(t => t.Id).Distinct().Chunk(FilterChunk))
            {
                var parameters = new Dictionary<string, object> { ["id"] = Strings(chunk), ["fields"] = fields, ["ordering"] = "id" };
                IEnumerable<NetBoxObject> found = kind == ObjectKind.VirtualMachine
                    ? await client.ListAllAsync((q, ct) => client.Api.ListVirtualMachinesAsync(q, ct), parameters, "virtual machines", cancellationToken)
                        .ConfigureAwait(false)
                    : await client.ListAllAsync((q, ct) => client.Api.ListDevicesAsync(q, ct), parameters, "devices", cancellationToken).ConfigureAwait(false);
                foreach (var o in found)
                {
                    result[(kind, o.Id)] = o;
                }
            }
        }

        return result;
    }

    private async Task<(int Interfaces, int Addresses)> AssignAddressesAsync(
        SyncRequest request,
        List<(SyncTarget Target, NetBoxObject Object)> present,
        Dictionary<(ObjectKind, int), (IPAddress Host, int Prefix)> wanted,
        Dictionary<(ObjectKind, int), IpAddress> primaryIps,
        List<string> warnings,
        CancellationToken cancellationToken)
    {
        var interfaces = await InterfacesAsync(wanted.Keys.ToList(), cancellationToken).ConfigureAwait(false);

        // Objects without an interface get one: an IP address can only be primary when assigned to the object's own interface.
        var createdInterfaces = 0;
        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            var missing = wanted.Keys.Where(k => k.Item1 == kind && !interfaces.ContainsKey(k)).Select(k => k.Item2).ToList();
            foreach (var chunk in missing.Chunk(client.BulkChunk))
            {
                var bodies = chunk.Select(id => (IDictionary<string, object?>)(kind == ObjectKind.VirtualMachine
                    ? new Dictionary<string, object?> { ["virtual_machine"] = id, ["name"] = interfaceName, ["description"] = "Created by nautilus iac deploy" }
                    : new Dictionary<string, object?> { ["device"] = id, ["name"] = interfaceName, ["type"] = "virtual",
                        ["description"] = "Created by nautilus iac deploy" })).ToList();
                var created = kind == ObjectKind.VirtualMachine
                    ? await client.Api.CreateVmInterfacesAsync(bodies, cancellationToken).ConfigureAwait(false)
                    : await client.Api.CreateDeviceInterfacesAsync(bodies, cancellationToken).ConfigureAwait(false);
                foreach (var i in created)
                {
                    if (i.OwnerId is int owner)
                    {
                        interfaces[(kind, owner)] = [i];
                    }
                }

                createdInterfaces += created.Count;
            }
        }

        // Existing addresses, by host (NetBox's address filter matches the host whatever the mask).
        var byHost = new Dictionary<string, List<IpAddress>>(StringComparer.Ordinal);
        foreach (var chunk in wanted.Values.Select(v => v.Host.ToString()).Distinct(StringComparer.Ordinal).Chunk(FilterChunk))
        {
            var parameters = new Dictionary<string, object> { ["address"] = chunk, ["ordering"] = "id" };
            foreach (var ip in await client.ListAllAsync((q, ct) => client.Api.ListIpAddressesAsync(q, ct), parameters, "IP addresses", cancellationToken)
                .ConfigureAwait(false))
            {
                if (TryParseIpv4(ip.Address, out var host, out _))
                {
                    var key = host.ToString();
                    if (!byHost.TryGetValue(key, out var list))
                    {
                        byHost[key] = list = [];
                    }

                    list.Add(ip);
                }
            }
        }

        var names = present.ToDictionary(p => (p.Target.Kind, p.Target.Id), p => p.Object.DisplayName);
        var toCreate = new List<((ObjectKind, int) Key, IDictionary<string, object?> Body)>();
        var toAssign = new List<((ObjectKind, int) Key, IpAddress Ip, IDictionary<string, object?> Body)>();
        foreach (var (key, (host, prefix)) in wanted)
        {
            var own = interfaces[key];
            var chosen = own.FirstOrDefault(i => i.Name == interfaceName) ?? own.OrderBy(i => i.Id).First();
            var interfaceType = key.Item1 == ObjectKind.VirtualMachine ? "virtualization.vminterface" : "dcim.interface";
            var candidates = byHost.GetValueOrDefault(host.ToString()) ?? [];
            var mine = candidates.FirstOrDefault(ip => ip.AssignedObjectType == interfaceType && ip.AssignedObjectId is int a && own.Any(i => i.Id == a));
            if (mine is not null)
            {
                primaryIps[key] = mine;
                continue;
            }

            var free = candidates.Where(ip => ip.AssignedObjectId is null).OrderBy(ip => ip.Vrf is null ? 0 : 1).ThenBy(ip => ip.Id).FirstOrDefault();
            if (free is not null)
            {
                toAssign.Add((key, free,
                    new Dictionary<string, object?> { ["id"] = free.Id, ["assigned_object_type"] = interfaceType, ["assigned_object_id"] = chosen.Id }));
                continue;
            }

            if (candidates.Count > 0)
            {
                var taken = candidates[0];
                warnings.Add($"{key.Item1.Noun()} '{names[key]}' (id {key.Item2}): IP address {taken.Address} (id {taken.Id}) is already assigned to " +
                    $"{taken.AssignedObjectType} id {taken.AssignedObjectId}, another object; primary_ip4 left as it is. Fix the assignment in NetBox, then " +
                    $"run the deploy again.");
                continue;
            }

            toCreate.Add((key, new Dictionary<string, object?>
            {
                ["address"] = $"{host}/{prefix.ToString(CultureInfo.InvariantCulture)}",
                ["status"] = "active",
                ["assigned_object_type"] = interfaceType,
                ["assigned_object_id"] = chosen.Id,
                ["description"] = $"{names[key]} ({request.WorkPackage}/{request.Wave})",
            }));
        }

        foreach (var chunk in toAssign.Chunk(client.BulkChunk))
        {
            var updated = await client.Api.BulkUpdateIpAddressesAsync(chunk.Select(c => c.Body).ToList(), cancellationToken).ConfigureAwait(false);
            var byId = updated.ToDictionary(ip => ip.Id);
            foreach (var (key, ip, _) in chunk)
            {
                primaryIps[key] = byId.GetValueOrDefault(ip.Id) ?? ip;
            }
        }

        var createdAddresses = 0;
        foreach (var chunk in toCreate.Chunk(client.BulkChunk))
        {
            // A POSTed array is created in order, so answers pair with requests by position.
            var created = await client.Api.CreateIpAddressesAsync(chunk.Select(c => c.Body).ToList(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length && i < created.Count; i++)
            {
                primaryIps[chunk[i].Key] = created[i];
            }

            createdAddresses += created.Count;
        }

        return (createdInterfaces, createdAddresses);
    }

    private async Task<Dictionary<(ObjectKind, int), List<NetBoxInterface>>> InterfacesAsync(IReadOnlyList<(ObjectKind Kind, int Id)> objects,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<(ObjectKind, int), List<NetBoxInterface>>();
        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            var filter = kind == ObjectKind.VirtualMachine ? "virtual_machine_id" : "device_id";
            foreach (var chunk in objects.Where(o => o.Kind == kind).Select(o => o.Id).Chunk(FilterChunk))
            {
                var parameters = new Dictionary<string, object> { [filter] = Strings(chunk), ["fields"] = "id,name,virtual_machine,device",
                    ["ordering"] = "id" };
                var found = kind == ObjectKind.VirtualMachine
                    ? await client.ListAllAsync((q, ct) => client.Api.ListVmInterfacesAsync(q, ct), parameters, "VM interfaces", cancellationToken)
                        .ConfigureAwait(false)
                    : await client.ListAllAsync((q, ct) => client.Api.ListDeviceInterfacesAsync(q, ct), parameters, "interfaces", cancellationToken)
                        .ConfigureAwait(false);
                foreach (var i in found)
                {
                    if (i.OwnerId is int owner)
                    {
                        if (!result.TryGetValue((kind, owner), out var list))
                        {
                            result[(kind, owner)] = list = [];
                        }

                        list.Add(i);
                    }
                }
            }
        }

        return result;
    }

    private static string DeployedText(SyncRequest request, SyncChange change)
    {
        var job = request.JobUrl is { Length: > 0 } url ? $" by [job]({url})" : "";
        var what = change.ToString();
        return $"Deployed by Nautilus{job}: work package `{Plain(request.WorkPackage)}`, wave `{Plain(request.Wave)}`, Terraform state " +
            $"`{Plain(request.StateName)}`. {char.ToUpperInvariant(what[0])}{what[1..]}.";
    }

    private static string Plain(string text) => text.Replace("`", "'", StringComparison.Ordinal);

    private static string[] Strings(IEnumerable<int> ids) => ids.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>"10.0.0.5" or "10.0.0.5/24"; a bare address becomes a /32, as NetBox itself would store it.</summary>
    public static bool TryParseIpv4(string text, out IPAddress host, out int prefix)
    {
        host = IPAddress.None;
        prefix = 32;
        var parts = text.Trim().Split('/', 2);
        // IPAddress.TryParse also takes legacy forms ("10.1"); only dotted quads are addresses here.
        if (parts[0].Count(c => c == '.') != 3 || !IPAddress.TryParse(parts[0], out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32))
        {
            return false;
        }

        host = parsed;
        return true;
    }
}
