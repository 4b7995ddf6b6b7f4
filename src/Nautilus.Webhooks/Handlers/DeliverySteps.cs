using System.Globalization;
using System.Text.Json.Nodes;
using Nautilus.Core;
using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The handlers' NetBox writes as resumable steps of a delivery. The writes themselves are the one
/// <see cref="NetBoxSync"/> the CLI uses too; a step only records in the delivery's progress what it chose and what
/// it finished, so a retry (after a crash, a 503 or a lost lease) resumes instead of repeating. Status flips and tags
/// converge by nature; journal entries are made exactly-once by the delivery's marker.
/// </summary>
public static class DeliverySteps
{
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

    /// <summary>The step's targets, chosen once by <paramref name="choose"/> and saved before anything is written.</summary>
    public static async Task<List<SyncTarget>> TargetsAsync(DeliveryContext context, JsonObject step, Func<Task<IEnumerable<SyncTarget>>> choose,
        CancellationToken cancellationToken)
    {
        if (step["targets"] is not JsonArray saved)
        {
            saved = new JsonArray((await choose().ConfigureAwait(false)).Select(t => (JsonNode?)ToJson(t)).ToArray());
            step["targets"] = saved;
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        return saved.Select(n => FromJson(n!)).ToList();
    }

    /// <summary>planned → active; every target that is still planned ends active, however often this runs.</summary>
    public static Task ActivateAsync(NetBoxSync sync, DeliveryContext context, JsonObject step, IReadOnlyList<SyncTarget> targets,
        CancellationToken cancellationToken) =>
        OnceAsync(context, step, "activated",
            () => targets.Count == 0 ? Task.CompletedTask : sync.SetStatusAsync(targets, "active", onlyFrom: "planned", cancellationToken), cancellationToken);

    public static Task AddTagAsync(NetBoxSync sync, DeliveryContext context, JsonObject step, Tag tag, IReadOnlyList<SyncTarget> targets,
        CancellationToken cancellationToken) =>
        OnceAsync(context, step, "tagged", () => targets.Count == 0 ? Task.CompletedTask : sync.AddTagAsync(tag, targets, cancellationToken),
            cancellationToken);

    /// <summary>
    /// One journal entry per target; a resumed step skips the targets an earlier attempt already wrote (the marker finds
    /// them). With <paramref name="eventMarker"/> (naming the event itself, e.g. a merge), any delivery of the same event
    /// skips them too: exactly one entry per object, however often GitLab sends it.
    /// </summary>
    public static async Task JournalAsync(
        NetBoxSync sync, DeliveryContext context, JsonObject step, IReadOnlyList<SyncTarget> targets, string comment, string kind,
            CancellationToken cancellationToken, string? eventMarker = null)
    {
        var state = (string?)step["journal"];
        if (state == "done" || targets.Count == 0)
        {
            return;
        }

        step["journal"] = "started";
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        var marker = eventMarker ?? $"{context.Marker}[{(string?)step["name"]}]";
        await sync.JournalAsync(targets, comment, kind, marker, resume: eventMarker is not null || state == "started", cancellationToken).ConfigureAwait(false);
        step["journal"] = "done";
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string Count(int n, string noun) => Words.Count(n, noun);

    /// <summary>Runs <paramref name="write"/> once for the step: a resumed delivery skips it when it finished before.</summary>
    public static async Task OnceAsync(DeliveryContext context, JsonObject step, string key, Func<Task> write, CancellationToken cancellationToken)
    {
        if (step[key] is not null)
        {
            return;
        }

        await write().ConfigureAwait(false);
        step[key] = true;
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject ToJson(SyncTarget t) => new()
    {
        ["kind"] = t.Kind == ObjectKind.VirtualMachine ? "vm" : "device",
        ["id"] = t.Id,
        ["name"] = t.Name,
    };

    private static SyncTarget FromJson(JsonNode node) => new(
        (string?)node["kind"] == "vm" ? ObjectKind.VirtualMachine : ObjectKind.Device,
        (int)node["id"]!,
        (string?)node["name"] ?? "");
}
