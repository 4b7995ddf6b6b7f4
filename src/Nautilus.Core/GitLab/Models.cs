using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nautilus.Core.GitLab;

// GitLab's REST payloads, the fields Nautilus reads (docs.gitlab.com/api/notes/, /api/merge_requests/,
// /api/users/#get-the-current-user, /api/projects/#get-a-single-project). Unknown fields are ignored, so
// newer GitLab versions keep working.

public sealed record GitLabUser(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("name")] string? Name = null,
    [property: JsonPropertyName("state")] string? State = null,
    [property: JsonPropertyName("bot")] bool? Bot = null,
    [property: JsonPropertyName("web_url")] string? WebUrl = null);

public sealed record GitLabNote(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("author")] GitLabUser Author,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset? UpdatedAt = null,
    [property: JsonPropertyName("system")] bool System = false,
    [property: JsonPropertyName("noteable_type")] string? NoteableType = null,
    [property: JsonPropertyName("noteable_iid")] long? NoteableIid = null,
    [property: JsonPropertyName("internal")] bool? Internal = null);

public sealed record GitLabMergeRequest(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("iid")] long Iid,
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("source_branch")] string SourceBranch,
    [property: JsonPropertyName("target_branch")] string TargetBranch,
    [property: JsonPropertyName("web_url")] string WebUrl,
    [property: JsonPropertyName("sha")] string? Sha = null,
    [property: JsonPropertyName("merge_commit_sha")] string? MergeCommitSha = null,
    [property: JsonPropertyName("detailed_merge_status")] string? DetailedMergeStatus = null,
    [property: JsonPropertyName("author")] GitLabUser? Author = null);

public sealed record GitLabProject(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("path_with_namespace")] string PathWithNamespace,
    [property: JsonPropertyName("web_url")] string WebUrl,
    [property: JsonPropertyName("default_branch")] string? DefaultBranch = null);

/// <summary>Body of POST/PUT …/notes. GitLab caps it at 1,000,000 characters (docs.gitlab.com/api/notes/).</summary>
public sealed record GitLabNoteRequest([property: JsonPropertyName("body")] string Body);

/// <summary>
/// A Terraform state file as GitLab's state API serves it (format version 4, the only one Terraform ≥ 0.12
/// and OpenTofu write). Attributes stay raw JSON: their shape is the provider's schema.
/// </summary>
public sealed record TerraformState(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("terraform_version")] string? TerraformVersion,
    [property: JsonPropertyName("serial")] long Serial,
    [property: JsonPropertyName("lineage")] string? Lineage,
    [property: JsonPropertyName("outputs")] IReadOnlyDictionary<string, TerraformStateOutput>? Outputs,
    [property: JsonPropertyName("resources")] IReadOnlyList<TerraformStateResource>? Resources)
{
    public IReadOnlyList<TerraformStateResource> ResourceList => Resources ?? [];
}

public sealed record TerraformStateOutput(
    [property: JsonPropertyName("value")] JsonElement Value,
    [property: JsonPropertyName("type")] JsonElement? Type = null,
    [property: JsonPropertyName("sensitive")] bool Sensitive = false);

public sealed record TerraformStateResource(
    [property: JsonPropertyName("module")] string? Module,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("provider")] string? Provider,
    [property: JsonPropertyName("instances")] IReadOnlyList<TerraformStateInstance>? Instances)
{
    /// <summary>The resource's address without instance key: module.x.type.name, or data.type.name for data sources.</summary>
    public string Address => (Module is null ? "" : Module + ".") + (Mode == "data" ? "data." : "") + Type + "." + Name;
}

public sealed record TerraformStateInstance(
    [property: JsonPropertyName("index_key")] JsonElement? IndexKey,
    [property: JsonPropertyName("schema_version")] int? SchemaVersion,
    [property: JsonPropertyName("attributes")] JsonElement Attributes,
    [property: JsonPropertyName("status")] string? Status = null);
