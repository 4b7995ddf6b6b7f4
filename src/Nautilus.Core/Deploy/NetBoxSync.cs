using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Nautilus.Core.NetBox;

namespace Nautilus.Core.Deploy;

/// <summary>An object a wave applied, with what its outputs said (IPv4 may be unknown).</summary>
public sealed record SyncTarget(ObjectKind Kind, int Id, string Name, string? Ipv4);

/// <param name="JobUrl">Linked from each journal entry, so NetBox users find the job that deployed the object.</param>
public sealed record SyncRequest(string WorkPackage, string Wave, string StateName, IReadOnlyList<SyncTarget> Objects, string? JobUrl);

/// <summary>What changed on one object; null members did not change.</summary>
public sealed record SyncChange(ObjectKind Kind, int Id, string Name, string? FromStatus, string? ToStatus, string? FromIp, string? ToIp)
{
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

public sealed record SyncResult(IReadOnlyList<SyncChange> Changes, IReadOnlyList<string> Warnings, int JournalEntries, int CreatedAddresses, int CreatedInterfaces);

/// <summary>
/// Brings NetBox in step with a wave Terraform applied: status active, primary_ip4 from the outputs (the IP address
/// created, or an unassigned one assigned, on an interface of the object, since NetBox only accepts a primary IP
/// that is assigned to one of the object's own interfaces), and a journal entry per object. Every step is a list
/// or a bulk request, so the request count grows with chunks, not with objects; and it converges when run twice.
/// </summary>
public sealed class NetBoxSync(NetBoxClient client, ILogger logger, string interfaceName = "eth0")
{
    /// <summary>Ids or addresses per filter request: keeps the query string well under common 8 KB proxy limits.</summary>
    public const int FilterChunk = 200;

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
                warnings.Add($"{target.Kind.Noun()} '{target.Name}' (id {target.Id}) was applied by wave '{request.Wave}' but is no longer in NetBox; nothing to update. Check that it was not deleted by mistake.");
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
                warnings.Add($"{target.Kind.Noun()} '{target.Name}' (id {target.Id}): the wave's output gives '{target.Ipv4}', which is not an IPv4 address; primary_ip4 left as it is.");
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
            (createdInterfaces, createdAddresses) = await AssignAddressesAsync(request, present, wanted, primaryIps, warnings, cancellationToken).ConfigureAwait(false);
        }

        // Status and primary IP in one bulk PATCH per kind.
        var changes = new List<SyncChange>();
        var patches = new Dictionary<ObjectKind, List<IDictionary<string, object?>>> { [ObjectKind.VirtualMachine] = [], [ObjectKind.Device] = [] };
        foreach (var (target, o) in present)
        {
            var patch = new Dictionary<string, object?> { ["id"] = o.Id };
            string? fromStatus = null, toStatus = null, fromIp = null, toIp = null;
            if (o.StatusValue != "active")
            {
                patch["status"] = "active";
                (fromStatus, toStatus) = (o.StatusValue, "active");
            }

            if (primaryIps.TryGetValue((target.Kind, target.Id), out var ip))
            {
                patch["primary_ip4"] = ip.Id;
                (fromIp, toIp) = (o.PrimaryIp4?.Address, ip.Address);
            }

            if (patch.Count > 1)
            {
                patches[target.Kind].Add(patch);
            }

            changes.Add(new SyncChange(target.Kind, target.Id, o.DisplayName, fromStatus, toStatus, fromIp, toIp));
        }

        foreach (var (kind, list) in patches)
        {
            if (list.Count > 0)
            {
                await client.BulkUpdateAsync(kind, list, cancellationToken).ConfigureAwait(false);
            }
        }

        var entries = changes.Select(c => new NewJournalEntry(c.Kind.ContentType(), c.Id, JournalText(request, c), "success")).ToList();
        var journaled = entries.Count == 0 ? 0 : await client.CreateJournalEntriesAsync(entries, cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "NetBox synced for wave {Wave}: {Changed} of {Count} objects changed, {Addresses} IP addresses and {Interfaces} interfaces created, {Journal} journal entries",
            request.Wave, changes.Count(c => c.ToStatus is not null || c.ToIp is not null), present.Count, createdAddresses, createdInterfaces, journaled);
        return new SyncResult(changes, warnings, journaled, createdAddresses, createdInterfaces);
    }

    private async Task<Dictionary<(ObjectKind, int), NetBoxObject>> ReadObjectsAsync(IReadOnlyList<SyncTarget> targets, CancellationToken cancellationToken)
    {
        const string fields = "id,url,display,name,status,primary_ip4";
        var result = new Dictionary<(ObjectKind, int), NetBoxObject>();
        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            foreach (var chunk in targets.Where(t => t.Kind == kind).Select(t => t.Id).Distinct().Chunk(FilterChunk))
            {
                var parameters = new Dictionary<string, object> { ["id"] = Strings(chunk), ["fields"] = fields, ["ordering"] = "id" };
                IEnumerable<NetBoxObject> found = kind == ObjectKind.VirtualMachine
                    ? await client.ListAllAsync((q, ct) => client.Api.ListVirtualMachinesAsync(q, ct), parameters, "virtual machines", cancellationToken).ConfigureAwait(false)
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
            foreach (var chunk in missing.Chunk(Math.Max(1, client.Options.BulkChunkSize)))
            {
                var bodies = chunk.Select(id => (IDictionary<string, object?>)(kind == ObjectKind.VirtualMachine
                    ? new Dictionary<string, object?> { ["virtual_machine"] = id, ["name"] = interfaceName, ["description"] = "Created by nautilus iac deploy" }
                    : new Dictionary<string, object?> { ["device"] = id, ["name"] = interfaceName, ["type"] = "virtual", ["description"] = "Created by nautilus iac deploy" })).ToList();
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
            foreach (var ip in await client.ListAllAsync((q, ct) => client.Api.ListIpAddressesAsync(q, ct), parameters, "IP addresses", cancellationToken).ConfigureAwait(false))
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
                toAssign.Add((key, free, new Dictionary<string, object?> { ["id"] = free.Id, ["assigned_object_type"] = interfaceType, ["assigned_object_id"] = chosen.Id }));
                continue;
            }

            if (candidates.Count > 0)
            {
                var taken = candidates[0];
                warnings.Add($"{key.Item1.Noun()} '{names[key]}' (id {key.Item2}): IP address {taken.Address} (id {taken.Id}) is already assigned to {taken.AssignedObjectType} id {taken.AssignedObjectId}, another object; primary_ip4 left as it is. Fix the assignment in NetBox, then run the deploy again.");
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

        foreach (var chunk in toAssign.Chunk(Math.Max(1, client.Options.BulkChunkSize)))
        {
            var updated = await client.Api.BulkUpdateIpAddressesAsync(chunk.Select(c => c.Body).ToList(), cancellationToken).ConfigureAwait(false);
            var byId = updated.ToDictionary(ip => ip.Id);
            foreach (var (key, ip, _) in chunk)
            {
                primaryIps[key] = byId.GetValueOrDefault(ip.Id) ?? ip;
            }
        }

        var createdAddresses = 0;
        foreach (var chunk in toCreate.Chunk(Math.Max(1, client.Options.BulkChunkSize)))
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

    private async Task<Dictionary<(ObjectKind, int), List<NetBoxInterface>>> InterfacesAsync(IReadOnlyList<(ObjectKind Kind, int Id)> objects, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(ObjectKind, int), List<NetBoxInterface>>();
        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            var filter = kind == ObjectKind.VirtualMachine ? "virtual_machine_id" : "device_id";
            foreach (var chunk in objects.Where(o => o.Kind == kind).Select(o => o.Id).Chunk(FilterChunk))
            {
                var parameters = new Dictionary<string, object> { [filter] = Strings(chunk), ["fields"] = "id,name,virtual_machine,device", ["ordering"] = "id" };
                var found = kind == ObjectKind.VirtualMachine
                    ? await client.ListAllAsync((q, ct) => client.Api.ListVmInterfacesAsync(q, ct), parameters, "VM interfaces", cancellationToken).ConfigureAwait(false)
                    : await client.ListAllAsync((q, ct) => client.Api.ListDeviceInterfacesAsync(q, ct), parameters, "interfaces", cancellationToken).ConfigureAwait(false);
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

    private static string JournalText(SyncRequest request, SyncChange change)
    {
        var job = request.JobUrl is { Length: > 0 } url ? $" by [job]({url})" : "";
        var what = change.ToString();
        return $"Deployed by Nautilus{job}: work package `{Plain(request.WorkPackage)}`, wave `{Plain(request.Wave)}`, Terraform state `{Plain(request.StateName)}`. {char.ToUpperInvariant(what[0])}{what[1..]}.";
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
