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

/// <summary>A branch (docs.gitlab.com/api/branches/#get-single-repository-branch), the fields Nautilus reads.</summary>
public sealed record GitLabBranch(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("commit")] GitLabCommitRef Commit,
    [property: JsonPropertyName("protected")] bool Protected = false,
    [property: JsonPropertyName("can_push")] bool? CanPush = null,
    [property: JsonPropertyName("web_url")] string? WebUrl = null);

public sealed record GitLabCommitRef(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("short_id")] string? ShortId = null);

/// <summary>Body of POST …/repository/commits: the branch to commit into and one action per file.</summary>
public sealed record GitLabCommitRequest(
    [property: JsonPropertyName("branch")] string Branch,
    [property: JsonPropertyName("commit_message")] string CommitMessage,
    [property: JsonPropertyName("actions")] IReadOnlyList<GitLabCommitAction> Actions);

/// <summary>create, update or delete of one file; content as text (GitLab's default encoding), absent for delete.</summary>
public sealed record GitLabCommitAction(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("file_path")] string FilePath,
    [property: JsonPropertyName("content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null)
{
    public static GitLabCommitAction Create(string path, string content) => new("create", path, content);

    public static GitLabCommitAction Update(string path, string content) => new("update", path, content);

    public static GitLabCommitAction Delete(string path) => new("delete", path);
}

/// <summary>The commit GitLab created (docs.gitlab.com/api/commits/, "Create a commit" response).</summary>
public sealed record GitLabCommit(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("short_id")] string ShortId,
    [property: JsonPropertyName("title")] string? Title = null,
    [property: JsonPropertyName("message")] string? Message = null,
    [property: JsonPropertyName("parent_ids")] IReadOnlyList<string>? ParentIds = null,
    [property: JsonPropertyName("web_url")] string? WebUrl = null);

/// <summary>An issue (docs.gitlab.com/api/issues/), the fields Nautilus reads.</summary>
public sealed record GitLabIssue(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("iid")] long Iid,
    [property: JsonPropertyName("project_id")] long ProjectId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("web_url")] string WebUrl,
    [property: JsonPropertyName("author")] GitLabUser? Author = null,
    [property: JsonPropertyName("labels")] IReadOnlyList<string>? Labels = null);

/// <summary>Body of POST/PUT …/issues: only what is set is sent; state_event is "close" or "reopen".</summary>
public sealed record GitLabIssueRequest(
    [property: JsonPropertyName("title"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title = null,
    [property: JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonPropertyName("labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Labels = null,
    [property: JsonPropertyName("state_event"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StateEvent = null);
