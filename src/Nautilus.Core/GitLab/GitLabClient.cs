using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Nautilus.Core.Terraform;
using Refit;

namespace Nautilus.Core.GitLab;

/// <summary>
/// GitLab reads and writes on top of the Refit API: paging by x-next-page, absent files and states as
/// null, the note-size limit checked before GitLab sees the body.
/// </summary>
public sealed class GitLabClient(IGitLabApi api, GitLabOptions options)
{
    /// <summary>GitLab's cap on a note body (docs.gitlab.com/api/notes/, "body … limited to 1,000,000 characters").</summary>
    public const int MaxNoteLength = 1_000_000;

    /// <summary>GitLab's largest page (docs.gitlab.com/api/rest/#pagination).</summary>
    public const int MaxPerPage = 100;

    public IGitLabApi Api => api;

    public GitLabOptions Options => options;

    public Task<GitLabUser> CurrentUserAsync(CancellationToken cancellationToken) => Unwrap(api.GetCurrentUserAsync(cancellationToken));

    public Task<GitLabProject> ProjectAsync(GitLabProjectRef project, CancellationToken cancellationToken) =>
        Unwrap(api.GetProjectAsync(project.Value, cancellationToken));

    public Task<GitLabMergeRequest> MergeRequestAsync(GitLabProjectRef project, long iid, CancellationToken cancellationToken) =>
        Unwrap(api.GetMergeRequestAsync(project.Value, iid, cancellationToken));

    public Task<List<GitLabMergeRequest>> MergeRequestsForCommitAsync(GitLabProjectRef project, string sha, CancellationToken cancellationToken) =>
        Unwrap(api.ListMergeRequestsForCommitAsync(project.Value, sha, cancellationToken));

    /// <summary>Every note of a merge request, oldest first.</summary>
    public IAsyncEnumerable<GitLabNote> MergeRequestNotesAsync(GitLabProjectRef project, long iid, CancellationToken cancellationToken) =>
        PagesAsync(page => api.ListMergeRequestNotesAsync(project.Value, iid, page, MaxPerPage, "asc", "created_at", cancellationToken), cancellationToken);

    /// <summary>Every issue (open or closed) a user opened in a project, oldest first.</summary>
    public IAsyncEnumerable<GitLabIssue> IssuesByAuthorAsync(GitLabProjectRef project, long authorId, CancellationToken cancellationToken) =>
        PagesAsync(page => api.ListIssuesAsync(project.Value, authorId, "all", page, MaxPerPage, "created_at", "asc", cancellationToken), cancellationToken);

    public Task<GitLabIssue> CreateIssueAsync(GitLabProjectRef project, GitLabIssueRequest issue, CancellationToken cancellationToken)
    {
        CheckLength(issue.Description ?? "", $"a new issue of project {project}");
        return Unwrap(api.CreateIssueAsync(project.Value, issue, cancellationToken));
    }

    public Task<GitLabIssue> UpdateIssueAsync(GitLabProjectRef project, long iid, GitLabIssueRequest issue, CancellationToken cancellationToken)
    {
        CheckLength(issue.Description ?? "", $"issue #{iid}");
        return Unwrap(api.UpdateIssueAsync(project.Value, iid, issue, cancellationToken));
    }

    public Task<GitLabNote> CreateIssueNoteAsync(GitLabProjectRef project, long iid, string body, CancellationToken cancellationToken)
    {
        CheckLength(body, $"issue #{iid}");
        return Unwrap(api.CreateIssueNoteAsync(project.Value, iid, new GitLabNoteRequest(body), cancellationToken));
    }

    public Task<GitLabBranch> BranchAsync(GitLabProjectRef project, string branch, CancellationToken cancellationToken) =>
        Unwrap(api.GetBranchAsync(project.Value, branch, cancellationToken));

    public Task<GitLabCommit> CreateCommitAsync(GitLabProjectRef project, GitLabCommitRequest commit, CancellationToken cancellationToken) =>
        Unwrap(api.CreateCommitAsync(project.Value, commit, cancellationToken));

    /// <summary>
    /// Every item of a paged list. Follows x-next-page (empty on the last page) and never the totals, which GitLab
    /// omits above 10,000 items (docs/design.md §13).
    /// </summary>
    private static async IAsyncEnumerable<T> PagesAsync<T>(Func<int, Task<ApiResponse<List<T>>>> fetch,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = 1;
        var seen = new HashSet<int>();
        while (seen.Add(page))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var response = await Unwrap(fetch(page)).ConfigureAwait(false);
            await response.EnsureSuccessfulAsync().ConfigureAwait(false);
            foreach (var item in response.Content ?? [])
            {
                yield return item;
            }

            if (response.Headers is null
                || !response.Headers.TryGetValues("x-next-page", out var values)
                || !int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
                    out var next))
            {
                yield break;
            }

            page = next;
        }
    }

    public Task<GitLabNote> CreateMergeRequestNoteAsync(GitLabProjectRef project, long iid, string body, CancellationToken cancellationToken)
    {
        CheckLength(body, $"merge request !{iid}");
        return Unwrap(api.CreateMergeRequestNoteAsync(project.Value, iid, new GitLabNoteRequest(body), cancellationToken));
    }

    public Task<GitLabNote> UpdateMergeRequestNoteAsync(GitLabProjectRef project, long iid, long noteId, string body, CancellationToken cancellationToken)
    {
        CheckLength(body, $"note {noteId} on merge request !{iid}");
        return Unwrap(api.UpdateMergeRequestNoteAsync(project.Value, iid, noteId, new GitLabNoteRequest(body), cancellationToken));
    }

    /// <summary>A repository file's content at a ref (branch, tag or commit), or null when the file or the ref does not exist.</summary>
    public async Task<string?> FileAsync(GitLabProjectRef project, string path, string reference, CancellationToken cancellationToken)
    {
        using var response = await Unwrap(api.GetRawFileAsync(project.Value, path.TrimStart('/'), reference, cancellationToken)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await response.EnsureSuccessfulAsync().ConfigureAwait(false);
        return response.Content ?? "";
    }

    /// <summary>
    /// The latest version of a GitLab-managed Terraform state, or null when there is none (404, or 204 for a
    /// state record without a file). Only format version 4 is understood.
    /// </summary>
    public async Task<TerraformState?> TerraformStateAsync(GitLabProjectRef project, string name, CancellationToken cancellationToken)
    {
        using var response = await Unwrap(api.GetTerraformStateAsync(project.Value, name, cancellationToken)).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(response.Content))
        {
            if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.NoContent))
            {
                await response.EnsureSuccessfulAsync().ConfigureAwait(false);
            }

            return null;
        }

        await response.EnsureSuccessfulAsync().ConfigureAwait(false);
        TerraformState? state;
        try
        {
            state = JsonSerializer.Deserialize<TerraformState>(response.Content, GitLabServiceCollectionExtensions.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw NautilusException.InvalidData($"GitLab's Terraform state '{name}' of project {project} is not a state file ({ex.Message}).");
        }

        if (state is null || state.Version != 4)
        {
            throw NautilusException.InvalidData(
                $"GitLab's Terraform state '{name}' of project {project} has format version " +
                    $"{state?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; Nautilus reads version 4 (Terraform ≥ 0.12, " +
                    $"OpenTofu). Run 'terraform init' and 'terraform apply' with a current Terraform to upgrade it.");
        }

        return state;
    }

    /// <summary>
    /// Refit 16 wraps whatever a handler throws in ApiRequestException; the error handler's
    /// NautilusException (and cancellation) is what callers and the CLI's exit-code mapping expect.
    /// </summary>
    public static async Task<T> Unwrap<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (ApiRequestException ex) when (ex.InnerException is NautilusException or OperationCanceledException)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    private static void CheckLength(string body, string target)
    {
        if (body.Length > MaxNoteLength)
        {
            throw NautilusException.InvalidData($"The note for {target} has {body.Length:N0} characters; GitLab accepts at most {MaxNoteLength:N0}. This is " +
                $"a bug in the caller, which must truncate.");
        }
    }
}
