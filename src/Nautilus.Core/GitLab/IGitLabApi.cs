using Refit;

namespace Nautilus.Core.GitLab;

/// <summary>
/// GitLab's REST API v4, the parts Nautilus uses; paths are relative to the instance's /api/v4. Refit
/// escapes path parameters with Uri.EscapeDataString, which is what GitLab wants for a project path
/// (group%2Fproject) and a repository file path (ci%2Fwaves.yml) (docs/design.md §13).
/// Callers go through <see cref="GitLabClient"/>, which adds paging and the expected-404 cases.
/// </summary>
public interface IGitLabApi
{
    [Get("/user")]
    Task<GitLabUser> GetCurrentUserAsync(CancellationToken cancellationToken);

    [Get("/projects/{project}")]
    Task<GitLabProject> GetProjectAsync(string project, CancellationToken cancellationToken);

    [Get("/projects/{project}/merge_requests/{iid}")]
    Task<GitLabMergeRequest> GetMergeRequestAsync(string project, long iid, CancellationToken cancellationToken);

    /// <summary>MRs that contain a commit: how a merge push finds its MR (job-token OK).</summary>
    [Get("/projects/{project}/repository/commits/{sha}/merge_requests")]
    Task<List<GitLabMergeRequest>> ListMergeRequestsForCommitAsync(string project, string sha, CancellationToken cancellationToken);

    [Get("/projects/{project}/merge_requests/{iid}/notes")]
    Task<ApiResponse<List<GitLabNote>>> ListMergeRequestNotesAsync(
        string project,
        long iid,
        int page,
        [AliasAs("per_page")] int perPage,
        string sort,
        [AliasAs("order_by")] string orderBy,
        CancellationToken cancellationToken);

    [Post("/projects/{project}/merge_requests/{iid}/notes")]
    Task<GitLabNote> CreateMergeRequestNoteAsync(string project, long iid, [Body] GitLabNoteRequest note, CancellationToken cancellationToken);

    [Put("/projects/{project}/merge_requests/{iid}/notes/{noteId}")]
    Task<GitLabNote> UpdateMergeRequestNoteAsync(string project, long iid, long noteId, [Body] GitLabNoteRequest note, CancellationToken cancellationToken);

    /// <summary>A file's raw content at a ref; 404 when the file or ref does not exist (job-token OK).</summary>
    [Get("/projects/{project}/repository/files/{filePath}/raw")]
    Task<ApiResponse<string>> GetRawFileAsync(string project, string filePath, [AliasAs("ref")] string reference, CancellationToken cancellationToken);

    /// <summary>
    /// The latest version of a GitLab-managed Terraform state; 404 when no state has that name
    /// (docs.gitlab.com/user/infrastructure/iac/terraform_state/).
    /// </summary>
    [Get("/projects/{project}/terraform/state/{name}")]
    Task<ApiResponse<string>> GetTerraformStateAsync(string project, string name, CancellationToken cancellationToken);

    /// <summary>A branch and its head commit; 404 when it does not exist (docs.gitlab.com/api/branches/).</summary>
    [Get("/projects/{project}/repository/branches/{branch}")]
    Task<GitLabBranch> GetBranchAsync(string project, string branch, CancellationToken cancellationToken);

    /// <summary>
    /// One commit of several file actions, atomic (docs.gitlab.com/api/commits/#create-a-commit-with-multiple-files-and-actions).
    /// Needs Developer and a token with api or write_repository; CI_JOB_TOKEN cannot push.
    /// </summary>
    [Post("/projects/{project}/repository/commits")]
    Task<GitLabCommit> CreateCommitAsync(string project, [Body] GitLabCommitRequest commit, CancellationToken cancellationToken);

    /// <summary>Issues of a project, newest first by default (docs.gitlab.com/api/issues/#list-project-issues).</summary>
    [Get("/projects/{project}/issues")]
    Task<ApiResponse<List<GitLabIssue>>> ListIssuesAsync(
        string project,
        [AliasAs("author_id")] long authorId,
        string state,
        int page,
        [AliasAs("per_page")] int perPage,
        [AliasAs("order_by")] string orderBy,
        string sort,
        CancellationToken cancellationToken);

    [Post("/projects/{project}/issues")]
    Task<GitLabIssue> CreateIssueAsync(string project, [Body] GitLabIssueRequest issue, CancellationToken cancellationToken);

    /// <summary>Edits an issue; state_event close/reopen changes its state (docs.gitlab.com/api/issues/#edit-an-issue).</summary>
    [Put("/projects/{project}/issues/{iid}")]
    Task<GitLabIssue> UpdateIssueAsync(string project, long iid, [Body] GitLabIssueRequest issue, CancellationToken cancellationToken);

    [Post("/projects/{project}/issues/{iid}/notes")]
    Task<GitLabNote> CreateIssueNoteAsync(string project, long iid, [Body] GitLabNoteRequest note, CancellationToken cancellationToken);
}
