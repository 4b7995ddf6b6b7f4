using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Nautilus.Core;
using Nautilus.Core.GitLab;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Webhooks.Handlers;

/// <summary>Reads a work package's document at the branch's first commit through GitLab's Files API.</summary>
public sealed partial class WorkPackageDocuments(GitLabConnection gitLab, ILogger<WorkPackageDocuments> logger)
{
    public async Task<IReadOnlyList<ObjectSelector>> SelectorsAsync(BranchCreated job, CancellationToken cancellationToken)
    {
        if (await gitLab.GetAsync(cancellationToken).ConfigureAwait(false) is not { } client)
        {
            Log.NoGitLab(logger, job.WorkPackage);
            return [];
        }

        var path = WorkPackage.DocPath(job.WorkPackage);
        var content = await client.FileAsync(GitLabProjectRef.Parse(job.Project, "the webhook payload"), path, job.Commit, cancellationToken)
            .ConfigureAwait(false);
        if (content is null)
        {
            Log.NoDocument(logger, path, job.Commit);
            return [];
        }

        return FrontMatter.Selectors(content, $"{path} at {job.Commit}");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning,
            Message = "NAUTILUS_GITLAB_URL is not set: the document of work package {WorkPackage} is not read, only its tag is ensured")]
        public static partial void NoGitLab(ILogger logger, string workPackage);

        [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "{Path} does not exist at {Commit}: only the tag is ensured")]
        public static partial void NoDocument(ILogger logger, string path, string commit);
    }
}

/// <summary>
/// Reads the manifest committed with a work package's generated code (.nautilus/&lt;wp&gt;/manifest.json) at a commit
/// through GitLab's Files API: what the MR reviewed, never what NetBox holds now.
/// </summary>
public sealed partial class WorkPackageManifests(GitLabConnection gitLab, ILogger<WorkPackageManifests> logger)
{
    /// <summary>Null when GitLab is not configured, the commit is unknown, or no manifest is committed there.</summary>
    public async Task<Manifest?> ReadAsync(string project, string workPackage, string? commit, CancellationToken cancellationToken)
    {
        if (commit is null)
        {
            return null;
        }

        if (await gitLab.GetAsync(cancellationToken).ConfigureAwait(false) is not { } client)
        {
            Log.NoGitLab(logger, workPackage);
            return null;
        }

        var path = Manifest.RepositoryPath(workPackage);
        var content = await client.FileAsync(GitLabProjectRef.Parse(project, "the webhook payload"), path, commit, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            Log.NoManifest(logger, path, commit);
            return null;
        }

        var manifest = Manifest.Parse(content, $"{path} at {commit}");
        if (manifest.WorkPackage != workPackage)
        {
            throw NautilusException.InvalidData($"{path} at {commit} is the manifest of work package '{manifest.WorkPackage}', not '{workPackage}'. " +
                $"Regenerate it with 'nautilus iac generate --wp {workPackage}' and commit it.");
        }

        return manifest;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 402, Level = LogLevel.Warning,
            Message = "NAUTILUS_GITLAB_URL is not set: the committed manifest of work package {WorkPackage} cannot be read; NetBox's planned objects are used")]
        public static partial void NoGitLab(ILogger logger, string workPackage);

        [LoggerMessage(EventId = 403, Level = LogLevel.Warning,
            Message = "{Path} is not committed at {Commit}: NetBox's planned objects of the work package are used instead of the reviewed manifest")]
        public static partial void NoManifest(ILogger logger, string path, string commit);
    }
}

/// <summary>
/// The one note on a merged MR saying what changed in NetBox. A hidden marker names the MR's work package, so a
/// resent or retried delivery finds the note it (or an earlier delivery of the same merge) already posted.
/// </summary>
public sealed partial class MergeRequestNotes(GitLabConnection gitLab, ILogger<MergeRequestNotes> logger)
{
    private const int MaxRows = 50;

    public static string Marker(MergeRequestMerged job) => $"<!-- nautilus:merge-sync:{job.WorkPackage}:{job.Iid} -->";

    public async Task PostMergeSummaryAsync(MergeRequestMerged job, IReadOnlyList<SyncTarget> targets, DeliveryContext context, JsonObject step, Uri netBoxUrl,
        CancellationToken cancellationToken)
    {
        if (step["noted"] is not null)
        {
            return;
        }

        if (await gitLab.GetAsync(cancellationToken).ConfigureAwait(false) is not { } client)
        {
            Log.NoGitLab(logger, job.Iid);
            return;
        }

        if (client.Options.TokenKind != GitLabTokenKind.Private)
        {
            Log.NoToken(logger, job.Iid);
            return;
        }

        var project = GitLabProjectRef.Parse(job.Project, "the webhook payload");
        var marker = Marker(job);
        var exists = false;
        await foreach (var note in client.MergeRequestNotesAsync(project, job.Iid, cancellationToken).ConfigureAwait(false))
        {
            if (note.Body.Contains(marker, StringComparison.Ordinal))
            {
                exists = true;
                break;
            }
        }

        if (!exists)
        {
            var note = await client.CreateMergeRequestNoteAsync(project, job.Iid, Render(job, targets, netBoxUrl), cancellationToken).ConfigureAwait(false);
            Log.Posted(logger, note.Id, job.Iid);
        }

        step["noted"] = true;
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string Render(MergeRequestMerged job, IReadOnlyList<SyncTarget> targets, Uri netBoxUrl)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Marker(job));
        sb.AppendLine(CultureInfo.InvariantCulture, $"### NetBox: work package {MarkdownText.Code(job.WorkPackage)} synced on merge");
        sb.AppendLine();
        if (targets.Count == 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"No planned object carries the tag {MarkdownText.Code(WorkPackage.TagName(job.WorkPackage))}: nothing changed in NetBox.");
            return MarkdownText.NeutraliseQuickActions(sb.ToString());
        }

        sb.AppendLine(CultureInfo.InvariantCulture,
            $"{DeliverySteps.Count(targets.Count, "object")} set **planned → active**, each with a journal entry linking this merge request.");
        sb.AppendLine();
        sb.AppendLine("| object | type | NetBox |");
        sb.AppendLine("|---|---|---|");
        foreach (var t in targets.Take(MaxRows))
        {
            var url = new Uri(netBoxUrl, $"{t.Kind.UiPath()}/{t.Id}/");
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {MarkdownText.TableCode(t.Name)} | {(t.Kind == ObjectKind.VirtualMachine ? "virtual machine" : "device")} | [#{t.Id}]({url}) |");
        }

        if (targets.Count > MaxRows)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"… and {targets.Count - MaxRows} more (see the NetBox journal of each object).");
        }

        return MarkdownText.NeutraliseQuickActions(sb.ToString());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 412, Level = LogLevel.Information, Message = "Merge note posted: note {NoteId} on merge request !{Iid}")]
        public static partial void Posted(ILogger logger, long noteId, long iid);

        [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "NAUTILUS_GITLAB_URL is not set: no note on merge request !{Iid}")]
        public static partial void NoGitLab(ILogger logger, long iid);

        [LoggerMessage(EventId = 411, Level = LogLevel.Warning,
            Message = "NAUTILUS_GITLAB_TOKEN is not set: no note on merge request !{Iid} (notes need an access token with the api scope)")]
        public static partial void NoToken(ILogger logger, long iid);
    }
}
