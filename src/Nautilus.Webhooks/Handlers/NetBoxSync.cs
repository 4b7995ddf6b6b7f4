using System.Globalization;
using System.Text.Json.Nodes;
using Nautilus.Core;
using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks.Handlers;

/// <summary>A NetBox object a job changes, as saved in the job's progress.</summary>
public sealed record SyncTarget(ObjectKind Kind, int Id, string Name, IReadOnlyList<int> TagIds)
{
    public JsonObject ToJson() => new()
    {
        ["kind"] = Kind == ObjectKind.VirtualMachine ? "vm" : "device",
        ["id"] = Id,
        ["name"] = Name,
        ["tags"] = new JsonArray(TagIds.Select(t => (JsonNode?)t).ToArray()),
    };

    public static SyncTarget FromJson(JsonNode node) => new(
        (string?)node["kind"] == "vm" ? ObjectKind.VirtualMachine : ObjectKind.Device,
        (int)node["id"]!,
        (string?)node["name"] ?? "",
        node["tags"]?.AsArray().Select(t => (int)t!).ToList() ?? []);

    public static SyncTarget Of(NetBoxObject o) => new(o.Kind, o.Id, o.DisplayName, o.Tags.Select(t => t.Id).ToList());
}

/// <summary>
/// The NetBox writes the handlers share, each a resumable step: bulk status flips and bulk tagging (idempotent by
/// nature), and journal entries (made exactly-once by the delivery's marker). A step's state lives under its own
/// key in the delivery's progress.
/// </summary>
public sealed partial class NetBoxSync(ILogger<NetBoxSync> logger)
{
    public static JsonArray Save(IEnumerable<SyncTarget> targets) => new(targets.Select(t => (JsonNode?)t.ToJson()).ToArray());

    public static List<SyncTarget> Load(JsonNode? node) => node?.AsArray().Select(n => SyncTarget.FromJson(n!)).ToList() ?? [];

    /// <summary>Planned objects tagged with the work package; none when the tag does not exist (NetBox answers 400 for an unknown tag slug).</summary>
    public static async Task<List<NetBoxObject>> PlannedAsync(NetBoxClient client, string wp, CancellationToken cancellationToken)
    {
        var tag = await client.FindTagAsync(WorkPackage.TagName(wp), cancellationToken).ConfigureAwait(false);
        if (tag is null)
        {
            return [];
        }

        var query = ObjectQuery.ForTag(tag.Slug, "planned");
        var vms = client.ListVirtualMachinesAsync(query, cancellationToken);
        var devices = client.ListDevicesAsync(query, cancellationToken);
        return [.. await vms.ConfigureAwait(false), .. await devices.ConfigureAwait(false)];
    }

    /// <summary>planned → active in bulk; every object in <paramref name="targets"/> ends active, however often this runs.</summary>
    public async Task ActivateAsync(NetBoxClient client, DeliveryContext context, JsonObject step, IReadOnlyList<SyncTarget> targets, CancellationToken cancellationToken)
    {
        if (step["activated"] is not null)
        {
            return;
        }

        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            var changes = targets.Where(t => t.Kind == kind)
                .Select(t => (IDictionary<string, object?>)new Dictionary<string, object?> { ["id"] = t.Id, ["status"] = "active" })
                .ToList();
            if (changes.Count > 0)
            {
                var updated = await client.BulkUpdateAsync(kind, changes, cancellationToken).ConfigureAwait(false);
                Log.Activated(logger, updated, kind.Noun());
            }
        }

        step["activated"] = true;
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds a tag without touching the objects' other tags: add_tags on NetBox 4.6+ (#21771), else the object's
    /// tag list as read plus the new one (tags replaces the whole list, research/netbox.md §1.6).
    /// </summary>
    public async Task AddTagAsync(NetBoxClient client, DeliveryContext context, JsonObject step, Tag tag, IReadOnlyList<SyncTarget> targets, CancellationToken cancellationToken)
    {
        if (step["tagged"] is not null)
        {
            return;
        }

        var incremental = SupportsAddTags(client.ServerVersion);
        foreach (var kind in new[] { ObjectKind.VirtualMachine, ObjectKind.Device })
        {
            var changes = targets.Where(t => t.Kind == kind)
                .Select(t => (IDictionary<string, object?>)(incremental
                    ? new Dictionary<string, object?> { ["id"] = t.Id, ["add_tags"] = new[] { new Dictionary<string, object> { ["id"] = tag.Id } } }
                    : new Dictionary<string, object?> { ["id"] = t.Id, ["tags"] = t.TagIds.Append(tag.Id).Distinct().Select(id => new Dictionary<string, object> { ["id"] = id }).ToList() }))
                .ToList();
            if (changes.Count > 0)
            {
                var updated = await client.BulkUpdateAsync(kind, changes, cancellationToken).ConfigureAwait(false);
                Log.Tagged(logger, updated, kind.Noun(), tag.Name);
            }
        }

        step["tagged"] = true;
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One journal entry per target. Before writing, a resumed step asks NetBox which entries already carry this
    /// delivery's marker (the earlier attempt may have died between NetBox's commit and our checkpoint).
    /// </summary>
    public async Task JournalAsync(NetBoxClient client, DeliveryContext context, JsonObject step, IReadOnlyList<SyncTarget> targets, string comment, string kind, CancellationToken cancellationToken)
    {
        var state = (string?)step["journal"];
        if (state == "done" || targets.Count == 0)
        {
            return;
        }

        var marker = $"{context.Marker}[{(string?)step["name"]}]";
        var remaining = targets;
        if (state == "started")
        {
            var written = await client.ListJournalEntriesAsync(new Dictionary<string, object> { ["q"] = marker }, cancellationToken).ConfigureAwait(false);
            var done = written.Where(e => e.Comments.Contains(marker, StringComparison.Ordinal))
                .Select(e => (e.AssignedObjectType, e.AssignedObjectId)).ToHashSet();
            remaining = targets.Where(t => !done.Contains((t.Kind.ContentType(), t.Id))).ToList();
        }

        step["journal"] = "started";
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        var entries = remaining.Select(t => new NewJournalEntry(t.Kind.ContentType(), t.Id, $"{comment}\n\n{marker}", kind)).ToList();
        if (entries.Count > 0)
        {
            var created = await client.CreateJournalEntriesAsync(entries, cancellationToken).ConfigureAwait(false);
            Log.Journaled(logger, created);
        }

        step["journal"] = "done";
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The step's state object under <paramref name="name"/> in the delivery's progress.</summary>
    public static JsonObject Step(DeliveryContext context, string name)
    {
        if (context.Progress[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject { ["name"] = name };
        context.Progress[name] = created;
        return created;
    }

    public static bool SupportsAddTags(string? apiVersion) =>
        Version.TryParse(apiVersion, out var v) && (v.Major > 4 || (v.Major == 4 && v.Minor >= 6));

    /// <summary>A URL from a payload goes into Markdown only as a link GitLab could have made.</summary>
    public static string Link(string text, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && !url.Contains(')', StringComparison.Ordinal)
            ? $"[{text}]({url})"
            : text;

    public static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Set {Count} {Kind}(s) active in NetBox")]
        public static partial void Activated(ILogger logger, int count, string kind);

        [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Tagged {Count} {Kind}(s) with {Tag}")]
        public static partial void Tagged(ILogger logger, int count, string kind, string tag);

        [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Wrote {Count} journal entries")]
        public static partial void Journaled(ILogger logger, int count);
    }
}
