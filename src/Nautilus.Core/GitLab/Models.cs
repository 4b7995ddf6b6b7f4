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
