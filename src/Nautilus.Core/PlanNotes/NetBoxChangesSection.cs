using System.Globalization;
using System.Text.Json.Nodes;
using Nautilus.Core.GitLab;
using Nautilus.Core.NetBox;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.PlanNotes;

/// <summary>What the work package's NetBox branch changes in main when it is merged: its ChangeDiff records.</summary>
public sealed record NetBoxBranchChanges(NetBoxBranch Branch, IReadOnlyList<ChangeDiff> Changes, string? NetBoxUrl);

/// <summary>The note's "NetBox changes" section (templates/plan/comment.md.sbn, `netbox`); every *_md is safe Markdown.</summary>
public sealed record NetBoxChangesView
{
    public required string BranchMd { get; init; }
    public required int Created { get; init; }
    public required int Updated { get; init; }
    public required int Deleted { get; init; }
    public required int Conflicts { get; init; }

    /// <summary>"2 created, 1 updated" (or "no changes").</summary>
    public required string Summary { get; init; }

    /// <summary>What to do about conflicts, when there are any.</summary>
    public required string? ConflictAdviceMd { get; init; }
    public required IReadOnlyList<NetBoxChangeView> Changes { get; init; }

    /// <summary>Changes left out to stay under GitLab's note limit.</summary>
    public required int Hidden { get; init; }
}

public sealed record NetBoxChangeView
{
    public required string Action { get; init; }
    public required string ActionText { get; init; }
    public required string SymbolMd { get; init; }
    public required string ObjectMd { get; init; }
    public required string TypeText { get; init; }
    public required bool Conflict { get; init; }

    /// <summary>"deleted in main since the branch was made", and the like; null when there is nothing to add.</summary>
    public required string? NoteText { get; init; }
    public required IReadOnlyList<FieldChangeView> Fields { get; init; }
    public required int HiddenFields { get; init; }
}

/// <summary>One field: before → after; for a conflicting field, also what main holds now.</summary>
public sealed record FieldChangeView(string NameMd, string? BeforeMd, string AfterMd, string? MainMd, bool Conflict);

/// <summary>Builds the section from the branch's ChangeDiffs: masked, escaped, conflicts first, destructive before the rest.</summary>
public static class NetBoxChangesSection
{
    private const int MaxValueLength = 120;

    /// <summary>Fields every change touches and no reviewer needs.</summary>
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal) { "last_updated", "created", "custom_field_data" };

    public static NetBoxChangesView Build(NetBoxBranchChanges changes, SecretRedactor redactor, DetailLimits limits)
    {
        var ordered = changes.Changes
            .OrderBy(c => c.Conflicts is { Count: > 0 } ? 0 : 1)
            .ThenBy(c => c.ActionValue switch { "delete" => 0, "update" => 1, _ => 2 })
            .ThenBy(c => c.ObjectType, StringComparer.Ordinal)
            .ThenBy(c => c.ObjectRepr, StringComparer.Ordinal)
            .ThenBy(c => c.ObjectId)
            .ToList();
        var shown = ordered.Take(limits.ResourcesPerWave).Select(c => Change(c, changes, redactor, limits)).ToList();
        int Count(string action) => changes.Changes.Count(c => c.ActionValue == action);
        var conflicts = changes.Changes.Count(c => c.Conflicts is { Count: > 0 });
        var parts = new List<string>();
        foreach (var (n, words) in new[] { (Count("create"), "created"), (Count("update"), "updated"), (Count("delete"), "deleted") })
        {
            if (n > 0)
            {
                parts.Add($"{n.ToString(CultureInfo.InvariantCulture)} {words}");
            }
        }

        var branchUrl = string.IsNullOrEmpty(changes.NetBoxUrl) ? null : $"{changes.NetBoxUrl.TrimEnd('/')}/plugins/branching/branches/{changes.Branch.Id}/";
        var branchMd = branchUrl is null ? MarkdownText.Code(changes.Branch.Name) : MarkdownText.Link(changes.Branch.Name, branchUrl);
        return new NetBoxChangesView
        {
            BranchMd = branchMd,
            Created = Count("create"),
            Updated = Count("update"),
            Deleted = Count("delete"),
            Conflicts = conflicts,
            Summary = parts.Count == 0 ? "no changes" : string.Join(", ", parts),
            ConflictAdviceMd = conflicts == 0 ? null : ConflictAdvice(branchMd),
            Changes = shown,
            Hidden = ordered.Count - shown.Count,
        };
    }

    /// <summary>The two ways out of a conflict, said before the merge so nobody learns them from a dead letter.</summary>
    public static string ConflictAdvice(string branchMd) =>
        $"Main changed the same fields since branch {branchMd} was made. Until they agree, merging this MR stops before anything in NetBox changes " +
        "(the merge's webhook delivery is dead-lettered with the conflict list). Either make main and the branch agree — sync the branch from main " +
        "(NetBox: the branch → Sync) or edit the object in main or in the branch — and run the pipeline again; or let the branch win: " +
        "after the merge, a Nautilus admin retries the dead-lettered delivery with `POST /deliveries/<id>/retry?acknowledge_conflicts=true`.";

    private static NetBoxChangeView Change(ChangeDiff c, NetBoxBranchChanges changes, SecretRedactor redactor, DetailLimits limits)
    {
        var action = c.ActionValue;
        var repr = redactor.Redact(c.ObjectRepr ?? $"{NetBoxUi.NounOf(c.ObjectType)} {c.ObjectId.ToString(CultureInfo.InvariantCulture)}");

        // Created objects exist only in the branch; deleted ones are still in main.
        var url = NetBoxUi.ObjectUrl(changes.NetBoxUrl, c.ObjectType, c.ObjectId, action == "delete" ? null : changes.Branch.SchemaId);
        var objectMd = url is null ? MarkdownText.Code(repr) : MarkdownText.Link(repr, url);
        var conflicting = (c.Conflicts ?? []).ToHashSet(StringComparer.Ordinal);
        var fields = action switch
        {
            "update" => Updated(c, conflicting, redactor),
            "create" => Created(c, redactor),
            // A delete conflicts where main changed the object meanwhile: its value then, and main's now.
            _ => conflicting.Order(StringComparer.Ordinal)
                .Select(f => Field(f, null, c.OriginalData?[f], c.CurrentData?[f], redactor, conflict: true, showBefore: false)).ToList(),
        };
        string? note = null;
        if (action == "update" && c.CurrentData is null && conflicting.Count > 0)
        {
            note = "deleted in main since the branch was made";
        }
        else if (action == "delete" && conflicting.Count > 0)
        {
            note = "changed in main since the branch was made";
        }

        return new NetBoxChangeView
        {
            Action = action,
            ActionText = action switch { "create" => "created", "update" => "updated", "delete" => "deleted", _ => MarkdownText.OneLine(action) },
            SymbolMd = MarkdownText.Code(action switch { "create" => "+", "update" => "~", "delete" => "-", _ => "?" }),
            ObjectMd = objectMd,
            TypeText = NetBoxUi.NounOf(c.ObjectType) is var noun && noun == c.ObjectType ? MarkdownText.Code(noun) : noun,
            Conflict = conflicting.Count > 0,
            NoteText = note,
            Fields = fields.Take(limits.AttributesPerResource).ToList(),
            HiddenFields = Math.Max(0, fields.Count - limits.AttributesPerResource),
        };
    }

    /// <summary>Every field the branch changed (custom fields one by one), conflicting ones first.</summary>
    private static List<FieldChangeView> Updated(ChangeDiff c, HashSet<string> conflicting, SecretRedactor redactor)
    {
        var original = c.OriginalData ?? [];
        var modified = c.ModifiedData ?? [];
        var fields = new List<FieldChangeView>();
        foreach (var key in original.Select(kv => kv.Key).Union(modified.Select(kv => kv.Key)).Where(k => !Noise.Contains(k)).Order(StringComparer.Ordinal))
        {
            var before = original[key];
            var after = modified[key];
            if (key == "custom_fields" && before is JsonObject beforeFields && after is JsonObject afterFields)
            {
                foreach (var name in beforeFields.Select(kv => kv.Key).Union(afterFields.Select(kv => kv.Key)).Order(StringComparer.Ordinal))
                {
                    if (!JsonNode.DeepEquals(beforeFields[name], afterFields[name]))
                    {
                        fields.Add(Field($"custom_fields.{name}", beforeFields[name], afterFields[name], c.CurrentData?["custom_fields"]?[name], redactor,
                            conflicting.Contains(key)));
                    }
                }

                continue;
            }

            if (!JsonNode.DeepEquals(before, after) || conflicting.Contains(key))
            {
                fields.Add(Field(key, before, after, c.CurrentData?[key], redactor, conflicting.Contains(key)));
            }
        }

        return fields.OrderBy(f => f.Conflict ? 0 : 1).ToList();
    }

    /// <summary>A created object's fields that hold a value: what a reviewer checks (name, status, cluster, sizes, tags…).</summary>
    private static List<FieldChangeView> Created(ChangeDiff c, SecretRedactor redactor) =>
        (c.ModifiedData ?? []).Where(kv => !Noise.Contains(kv.Key) && HasValue(kv.Value))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => Field(kv.Key, null, kv.Value, null, redactor, conflict: false, showBefore: false))
            .ToList();

    private static bool HasValue(JsonNode? value) => value switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Any(kv => HasValue(kv.Value)),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        _ => true,
    };

    private static FieldChangeView Field(string name, JsonNode? before, JsonNode? after, JsonNode? main, SecretRedactor redactor, bool conflict,
        bool showBefore = true) => new(
        MarkdownText.Code(name),
        showBefore ? MarkdownText.Code(Show(before, redactor)) : null,
        MarkdownText.Code(Show(after, redactor)),
        conflict ? MarkdownText.Code(Show(main, redactor)) : null,
        conflict);

    /// <summary>A value as a reader wants it: strings bare, lists comma-separated, objects as JSON; masked and capped.</summary>
    private static string Show(JsonNode? value, SecretRedactor redactor)
    {
        var text = value switch
        {
            null => "null",
            JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? "(empty)" : s,
            JsonArray a when a.All(i => i is JsonValue) =>
                a.Count == 0 ? "(none)"
                : string.Join(", ", a.Select(i => i is JsonValue iv && iv.TryGetValue<string>(out var s) ? s : i?.ToJsonString() ?? "null")),
            _ => value.ToJsonString(),
        };
        text = redactor.Redact(text);
        return text.Length > MaxValueLength ? text[..MaxValueLength] + "…" : text;
    }
}
