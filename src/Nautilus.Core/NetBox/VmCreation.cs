using System.Globalization;

namespace Nautilus.Core.NetBox;

/// <summary>What `netbox create-vm` was asked for.</summary>
public sealed record VmRequest
{
    public required string WorkPackage { get; init; }
    public required string Name { get; init; }
    public required string Role { get; init; }
    public required string Cluster { get; init; }
    public string? Site { get; init; }
    public decimal? Vcpus { get; init; }

    /// <summary>MB, as NetBox stores it.</summary>
    public long? Memory { get; init; }

    /// <summary>MB (converted to GB for NetBox before 4.1, which stored GB).</summary>
    public long? Disk { get; init; }

    public string? Wave { get; init; }
    public int? Sequence { get; init; }
    public string? Priority { get; init; }
}

/// <summary>
/// Creates a planned VM tagged with the work package. Role and site are looked up by name or slug, the cluster by name, so a
/// typo is an error naming the choices instead of NetBox's "Related object not found".
/// </summary>
public sealed class VmCreation(NetBoxClient client)
{
    public static void Validate(VmRequest request)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 64)
        {
            problems.Add("--name must be 1-64 characters (NetBox's limit)");
        }

        if (request.Vcpus is <= 0)
        {
            problems.Add("--vcpus must be positive");
        }

        if (request.Memory is <= 0)
        {
            problems.Add("--memory (MB) must be positive");
        }

        if (request.Disk is <= 0)
        {
            problems.Add("--disk (MB) must be positive");
        }

        if (request.Sequence is < 0)
        {
            problems.Add("--sequence must be 0 or more");
        }

        if (request.Priority is not (null or "high" or "medium" or "low"))
        {
            problems.Add($"--priority '{request.Priority}' is not one of high, medium, low");
        }

        if (request.Wave is { } wave && (string.IsNullOrWhiteSpace(wave) || wave.Length > 90))
        {
            problems.Add("--wave must be 1-90 characters");
        }

        if (problems.Count > 0)
        {
            throw NautilusException.Usage(string.Join("; ", problems) + ".");
        }
    }

    /// <returns>The created VM (null in a dry run) and the actions taken or that would be.</returns>
    public async Task<(VirtualMachine? Created, IReadOnlyList<string> Actions)> RunAsync(VmRequest request, bool dryRun, CancellationToken cancellationToken)
    {
        Validate(request);
        var actions = new List<string>();
        var problems = new List<string>();
        var role = await FindAsync("role", request.Role, BySlugToo, (q, ct) => client.Api.ListRolesAsync(q, ct), problems, cancellationToken)
            .ConfigureAwait(false);
        var cluster = await FindAsync("cluster", request.Cluster, ByNameOnly, (q, ct) => client.Api.ListClustersAsync(q, ct), problems, cancellationToken)
            .ConfigureAwait(false);
        var site = request.Site is null ? null
            : await FindAsync("site", request.Site, BySlugToo, (q, ct) => client.Api.ListSitesAsync(q, ct), problems, cancellationToken).ConfigureAwait(false);

        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in new[] { NetBoxConventions.WaveField, NetBoxConventions.SequenceField })
        {
            var found = await client.Api.ListCustomFieldsAsync(new Dictionary<string, object> { ["name"] = field }, cancellationToken).ConfigureAwait(false);
            if (found.Results.Count > 0)
            {
                fields.Add(field);
            }
        }

        if (request.Sequence is not null && !fields.Contains(NetBoxConventions.SequenceField))
        {
            problems.Add($"NetBox has no custom field {NetBoxConventions.SequenceField}, so --sequence cannot be stored. Run 'nautilus netbox bootstrap' " +
                $"once.");
        }

        if (cluster is not null)
        {
            var existing = await client.Api.ListVirtualMachinesAsync(
                new Dictionary<string, object> { ["name"] = request.Name, ["cluster_id"] = cluster.Id.ToString(CultureInfo.InvariantCulture),
                    ["fields"] = "id,name,status" },
                cancellationToken).ConfigureAwait(false);
            if (existing.Results.FirstOrDefault() is { } twin)
            {
                problems.Add($"Virtual machine '{request.Name}' already exists in cluster '{cluster.Label}' (id {twin.Id}, status {twin.StatusValue}). Pick " +
                    $"another name, or tag the existing one.");
            }
        }

        if (problems.Count > 0)
        {
            throw NautilusException.InvalidData(string.Join(Environment.NewLine, problems), problems);
        }

        // Wave: the custom field when NetBox has it, else the wave: tag (docs/design.md §2 reads both).
        var tagNames = new List<string> { WorkPackage.TagName(request.WorkPackage) };
        if (request.Priority is { } priority)
        {
            tagNames.Add(Tags.PriorityPrefix + priority);
        }

        if (request.Wave is { } waveName && !fields.Contains(NetBoxConventions.WaveField))
        {
            tagNames.Add(Tags.WavePrefix + waveName);
        }

        var tagIds = new List<int>();
        foreach (var name in tagNames)
        {
            var ensured = await client.EnsureTagAsync(name, "Created by nautilus netbox create-vm", dryRun, cancellationToken).ConfigureAwait(false);
            if (ensured.Tag is { } tag)
            {
                tagIds.Add(tag.Id);
            }

            if (ensured.Outcome != TagOutcome.Exists)
            {
                actions.Add(ensured.Outcome == TagOutcome.Created ? $"created tag {name} (slug {ensured.Tag!.Slug})"
                    : $"would create tag {name} (slug {Tags.SlugOf(name)})");
            }
        }

        var customFields = new Dictionary<string, object?>();
        if (request.Wave is { } wave && fields.Contains(NetBoxConventions.WaveField))
        {
            customFields[NetBoxConventions.WaveField] = wave;
        }

        if (request.Sequence is { } sequence)
        {
            customFields[NetBoxConventions.SequenceField] = sequence;
        }

        var body = new Dictionary<string, object?>
        {
            ["name"] = request.Name,
            ["status"] = "planned",
            ["role"] = role!.Id,
            ["cluster"] = cluster!.Id,
            ["tags"] = tagIds.Select(id => new Dictionary<string, object?> { ["id"] = id }).ToList(),
        };
        if (site is not null)
        {
            body["site"] = site.Id;
        }

        if (request.Vcpus is { } vcpus)
        {
            body["vcpus"] = vcpus;
        }

        if (request.Memory is { } memory)
        {
            body["memory"] = memory;
        }

        if (request.Disk is { } disk)
        {
            // Disk was GB before NetBox 4.1 (docs/design.md §2); the server said its version on the lookups above.
            body["disk"] = new NetBoxSnapshot { NetBoxVersion = client.ServerVersion }.DiskIsGigabytes ? (disk + 1023) / 1024 : disk;
        }

        if (customFields.Count > 0)
        {
            body["custom_fields"] = customFields;
        }

        var sizes = (site is null ? "" : ", site " + site.Label)
            + (request.Vcpus is null ? "" : $", {request.Vcpus.Value.ToString(CultureInfo.InvariantCulture)} vCPU")
            + (request.Memory is null ? "" : $", {request.Memory} MB memory")
            + (request.Disk is null ? "" : $", {request.Disk} MB disk");
        var order = (request.Sequence is null ? "" : $"; sequence {request.Sequence}") + (request.Wave is null ? "" : $"; wave {request.Wave}");
        var summary = $"virtual machine '{request.Name}' (planned; role {role.Label}, cluster {cluster.Label}{sizes}; tags " +
            $"{string.Join(", ", tagNames)}{order})";
        if (dryRun)
        {
            actions.Add("would create " + summary);
            return (null, actions);
        }

        var vm = await client.Api.CreateVirtualMachineAsync(body, cancellationToken).ConfigureAwait(false);
        await client.CreateJournalEntriesAsync(
            [new NewJournalEntry(ObjectKind.VirtualMachine.ContentType(), vm.Id,
                $"Created by Nautilus (netbox create-vm) for work package `{request.WorkPackage}`.")],
            cancellationToken).ConfigureAwait(false);
        var link = vm.DisplayUrl ?? vm.Url;
        actions.Add($"created {summary}: id {vm.Id}{(link is null ? "" : ", " + link)}");
        return (vm, actions);
    }

    /// <summary>Roles and sites have a name and a slug; clusters only a name (NetBox's Cluster model has no slug).</summary>
    private static readonly string[] BySlugToo = ["name", "slug"];

    private static readonly string[] ByNameOnly = ["name"];

    /// <summary>
    /// Looks an object up by the fields its model has. NetBox ignores a filter its model does not define and answers
    /// every object, so only those fields are asked, and an answer counts only when it really carries the value.
    /// </summary>
    private static async Task<NestedRef?> FindAsync(
        string what,
        string value,
        string[] keys,
        Func<IDictionary<string, object>, CancellationToken, Task<Page<NestedRef>>> list,
        List<string> problems,
        CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            var page = await list(new Dictionary<string, object> { [key] = value, ["brief"] = "true" }, cancellationToken).ConfigureAwait(false);
            if (page.Results.FirstOrDefault(r => (key == "name" ? r.Name : r.Slug) == value) is { } match)
            {
                return match;
            }
        }

        var some = await list(new Dictionary<string, object> { ["brief"] = "true", ["limit"] = "20", ["ordering"] = "name" }, cancellationToken)
            .ConfigureAwait(false);
        var by = keys.Length > 1 ? "by name or slug" : "by name";
        var known = some.Results.Count == 0
            ? $"It has no {what}s at all: create one first."
            : $"Known: {string.Join(", ", some.Results.Select(r => r.Label))}{(some.Count > some.Results.Count ? ", …" : "")}.";
        problems.Add($"NetBox has no {what} named '{value}' ({by}). {known}");
        return null;
    }
}
