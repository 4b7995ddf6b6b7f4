using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Nautilus.Core.NetBox;

// The netbox-branching plugin's REST shapes (netbox_branching/api/serializers.py, docs/rest-api.md): a branch, the core
// Job its sync/ and merge/ answer, a ChangeDiff, and the 409 a conflicting sync/merge answers.

/// <summary>A NetBox branch. Requests carry <see cref="Header"/>: its schema id, to work inside it.</summary>
public sealed record NetBoxBranch
{
    /// <summary>Every request that should see or change the branch carries it; without it a request works on main.</summary>
    public const string Header = "X-NetBox-Branch";

    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>{"value", "label"} from BranchSerializer's ChoiceField; the plugin's docs show a bare string, so both are read.</summary>
    [JsonPropertyName("status")] public JsonElement Status { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("schema_id")] public string SchemaId { get; init; } = "";
    [JsonPropertyName("last_sync")] public string? LastSync { get; init; }
    [JsonPropertyName("merged_time")] public string? MergedTime { get; init; }
    [JsonPropertyName("created")] public string? Created { get; init; }
    [JsonPropertyName("last_updated")] public string? LastUpdated { get; init; }

    [JsonIgnore]
    public string StatusValue => Status.ValueKind switch
    {
        JsonValueKind.String => Status.GetString() ?? "",
        JsonValueKind.Object when Status.TryGetProperty("value", out var value) => value.ToString(),
        _ => "",
    };

    /// <summary>Only a ready branch is read, written, synced or merged.</summary>
    [JsonIgnore] public bool IsReady => StatusValue == "ready";

    /// <summary>Its changes are in main (merged), or its schema is gone (archived): work happens in main again.</summary>
    [JsonIgnore] public bool IsClosed => StatusValue is "merged" or "archived";

    /// <summary>A job is working on it (BranchStatusChoices.TRANSITIONAL, and new before provisioning starts): waiting helps.</summary>
    [JsonIgnore] public bool IsBusy => StatusValue is "new" or "provisioning" or "syncing" or "migrating" or "merging" or "reverting";
}

/// <summary>A core Job (/api/core/jobs/&lt;id&gt;/): what sync/ and merge/ answer, polled to its end.</summary>
public sealed record NetBoxJob
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("display_url")] public string? DisplayUrl { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("object_id")] public int? ObjectId { get; init; }
    [JsonPropertyName("status")] public ChoiceValue? Status { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("started")] public string? Started { get; init; }
    [JsonPropertyName("completed")] public string? Completed { get; init; }

    [JsonIgnore] public string StatusValue => Status?.Text ?? "";

    /// <summary>completed, errored or failed (JobStatusChoices.TERMINAL_STATE_CHOICES).</summary>
    [JsonIgnore] public bool IsFinished => StatusValue is "completed" or "errored" or "failed";
}

/// <summary>
/// The net effect of a branch on one object. The three snapshots are NetBox's change-log serialisation (related
/// objects as ids, choices as values, tags as names): before the branch, in the branch, and in main now.
/// </summary>
public sealed record ChangeDiff
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("object_type")] public string ObjectType { get; init; } = "";
    [JsonPropertyName("object_id")] public int ObjectId { get; init; }
    [JsonPropertyName("object_repr")] public string? ObjectRepr { get; init; }
    [JsonPropertyName("action")] public ChoiceValue? Action { get; init; }

    /// <summary>Fields changed both in the branch and in main since the branch diverged; null when none.</summary>
    [JsonPropertyName("conflicts")] public List<string>? Conflicts { get; init; }
    [JsonPropertyName("original_data")] public JsonObject? OriginalData { get; init; }
    [JsonPropertyName("modified_data")] public JsonObject? ModifiedData { get; init; }
    [JsonPropertyName("current_data")] public JsonObject? CurrentData { get; init; }
    [JsonPropertyName("last_updated")] public string? LastUpdated { get; init; }

    /// <summary>create, update or delete.</summary>
    [JsonIgnore] public string ActionValue => Action?.Text ?? "";
}

/// <summary>One entry of a 409 from sync/ or merge/ (ConflictSummarySerializer).</summary>
public sealed record BranchConflict
{
    [JsonPropertyName("id")] public int Id { get; init; }
    [JsonPropertyName("object_type")] public string ObjectType { get; init; } = "";
    [JsonPropertyName("object_id")] public int ObjectId { get; init; }
    [JsonPropertyName("object_repr")] public string? ObjectRepr { get; init; }
    [JsonPropertyName("action")] public ChoiceValue? Action { get; init; }
    [JsonPropertyName("conflicts")] public List<string> Fields { get; init; } = [];

    /// <summary>{"original": {field: value}, "branch": {…}, "main": {…}} for the conflicting fields only.</summary>
    [JsonPropertyName("conflicting_data")] public JsonObject? ConflictingData { get; init; }

    public JsonNode? ValueIn(string side, string field) => ConflictingData?[side]?[field];
}

/// <summary>The body of a 409 from sync/ or merge/.</summary>
public sealed record BranchConflictResponse
{
    [JsonPropertyName("detail")] public string? Detail { get; init; }
    [JsonPropertyName("conflicts")] public List<BranchConflict> Conflicts { get; init; } = [];
}
