using System.Globalization;
using Nautilus.Core.GitLab;

namespace Nautilus.Core.Drift;

public enum DriftIssueAction
{
    /// <summary>No drift and no open issue: nothing to say.</summary>
    None,
    Created,
    Updated,

    /// <summary>A closed issue of the work package, opened again with the new findings.</summary>
    Reopened,

    /// <summary>Clean again: a note says so and the issue is closed.</summary>
    Closed,
}

public sealed record DriftIssueOutcome(DriftIssueAction Action, long? Iid, string? WebUrl);

/// <summary>
/// Keeps ONE GitLab issue per work package about its drift (docs/design.md §11, step 6): found by the hidden marker
/// among issues the token's own user opened, created or updated in place (reopened when it was closed), and closed
/// with a note once NetBox and Terraform agree again. Bodies come from <see cref="DriftRendering.Markdown"/>.
/// </summary>
public sealed class DriftIssue(GitLabClient client)
{
    public const string Label = "nautilus-drift";

    public static string Marker(string workPackage) => $"<!-- nautilus:drift:{workPackage} -->";

    public static string Title(string workPackage) => $"Drift in work package {workPackage}";

    /// <param name="markdown">The report as Markdown (<see cref="DriftRendering.Markdown"/>).</param>
    /// <param name="pipelineUrl">The pipeline that looked, linked from the issue.</param>
    /// <param name="now">When it looked, stated in the issue.</param>
    public async Task<DriftIssueOutcome> KeepAsync(GitLabProjectRef project, DriftReport report, string markdown, string? pipelineUrl, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        client.Options.RequireWriteToken("Keeping the drift issue");
        var marker = Marker(report.WorkPackage);
        var me = await client.CurrentUserAsync(cancellationToken).ConfigureAwait(false);

        // The newest of our issues that carries the marker; another user's copy of the marker is not ours to edit.
        GitLabIssue? existing = null;
        await foreach (var issue in client.IssuesByAuthorAsync(project, me.Id, cancellationToken).ConfigureAwait(false))
        {
            if (issue.Description?.Contains(marker, StringComparison.Ordinal) == true)
            {
                existing = issue;
            }
        }

        if (!report.Drifted)
        {
            if (existing is null || existing.State != "opened")
            {
                return new DriftIssueOutcome(DriftIssueAction.None, existing?.Iid, existing?.WebUrl);
            }

            await client.CreateIssueNoteAsync(project, existing.Iid, ClosingNote(report.WorkPackage, pipelineUrl, now), cancellationToken)
                .ConfigureAwait(false);
            var closed = await client.UpdateIssueAsync(project, existing.Iid, new GitLabIssueRequest(StateEvent: "close"), cancellationToken)
                .ConfigureAwait(false);
            return new DriftIssueOutcome(DriftIssueAction.Closed, closed.Iid, closed.WebUrl);
        }

        var body = Body(report.WorkPackage, markdown, pipelineUrl, now);
        if (existing is null)
        {
            var created = await client.CreateIssueAsync(project, new GitLabIssueRequest(Title(report.WorkPackage), body, Label), cancellationToken)
                .ConfigureAwait(false);
            return new DriftIssueOutcome(DriftIssueAction.Created, created.Iid, created.WebUrl);
        }

        var reopen = existing.State != "opened";
        var updated = await client.UpdateIssueAsync(project, existing.Iid, new GitLabIssueRequest(Description: body, StateEvent: reopen ? "reopen" : null),
            cancellationToken).ConfigureAwait(false);
        return new DriftIssueOutcome(reopen ? DriftIssueAction.Reopened : DriftIssueAction.Updated, updated.Iid, updated.WebUrl);
    }

    /// <summary>
    /// The issue's description: the marker, the report (already safe Markdown) and a footer saying when and where it
    /// was seen, with no line a quick action could run.
    /// </summary>
    public static string Body(string workPackage, string markdown, string? pipelineUrl, DateTimeOffset now) => Truncate(
        MarkdownText.NeutraliseQuickActions(
            $"{Marker(workPackage)}\n{markdown}\n---\nLast checked {When(now)} by {Seen(pipelineUrl)}. Nautilus keeps this issue up to date on every " +
                $"scheduled drift run and closes it once NetBox and Terraform agree again; fix NetBox or re-apply the wave, do not edit this text.\n"),
        pipelineUrl);

    /// <summary>The note that closes the issue once NetBox and Terraform agree again.</summary>
    public static string ClosingNote(string workPackage, string? pipelineUrl, DateTimeOffset now) => MarkdownText.NeutraliseQuickActions(
        $"No drift any more: NetBox and Terraform state of work package {MarkdownText.Code(workPackage)} agree as of {When(now)} ({Seen(pipelineUrl)}). " +
            $"Closing.");

    private static string When(DateTimeOffset now) => now.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Seen(string? pipelineUrl) => pipelineUrl is { Length: > 0 } ? MarkdownText.WebLink("pipeline", pipelineUrl) : "a scheduled run";

    /// <summary>GitLab caps a description at 1,000,000 characters; a huge report is cut at a line and points at the job log.</summary>
    private static string Truncate(string body, string? pipelineUrl)
    {
        const int Limit = GitLabClient.MaxNoteLength - 1_000;
        if (body.Length <= GitLabClient.MaxNoteLength)
        {
            return body;
        }

        var cut = body.LastIndexOf('\n', Limit);
        return body[..(cut < 0 ? Limit : cut)]
            + $"\n\n… truncated: the full report is in the job log{(pipelineUrl is null ? "" : " of " + MarkdownText.WebLink("the pipeline", pipelineUrl))}.\n";
    }
}
