using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Nautilus.Core.GitLab;
using Nautilus.Core.NetBox;
using Nautilus.Core.PlanNotes;

namespace Nautilus.Webhooks.Handlers;

/// <summary>A wave as the deploy note lists it.</summary>
public sealed record NoteWave(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("level")] int Level,
    [property: JsonPropertyName("objects")] int Objects);

/// <summary>An apply job that failed, as the deploy note lists it.</summary>
public sealed record NoteFailure(
    [property: JsonPropertyName("wave")] string Wave,
    [property: JsonPropertyName("job")] long Job,
    [property: JsonPropertyName("url")] string Url);

/// <summary>What the deploy note shows; it travels inside the note, so each delivery adds to what earlier ones wrote.</summary>
public sealed record DeployNoteState(
    [property: JsonPropertyName("waves")] IReadOnlyList<NoteWave> Waves,
    [property: JsonPropertyName("failed")] IReadOnlyList<NoteFailure> Failed);

/// <summary>
/// SyncOn=deploy: the one note on a merged MR that lists the waves the default-branch pipeline deploys, and, as
/// Pipeline Hooks report failed apply jobs, which wave failed and in which job. The note carries its own state (in a
/// hidden, base64-encoded comment, so no NetBox text can end the comment), and is found again by its marker among the
/// service user's own notes: a redelivered event leaves it as it is.
/// </summary>
public sealed partial class DeploymentNotes(GitLabConnection gitLab, WebhookOptions options, ILogger<DeploymentNotes> logger)
{
    private const int MaxRows = 100;

    /// <summary>The marker of the merge note, in either sync mode: one note per merged MR.</summary>
    public static string Marker(string workPackage, long iid) => $"<!-- nautilus:merge-sync:{workPackage}:{iid} -->";

    /// <summary>At merge: the note listing the waves to deploy (created once; a resent merge finds it).</summary>
    public async Task PostMergedAsync(MergeRequestMerged job, IReadOnlyList<NoteWave> waves, CancellationToken cancellationToken)
    {
        if (await ClientAsync(job.Iid, cancellationToken).ConfigureAwait(false) is not { } client)
        {
            return;
        }

        var project = GitLabProjectRef.Parse(job.Project, "the webhook payload");
        Posted(await PlanNotePublisher.PublishAsync(
            client, project, job.Iid, Marker(job.WorkPackage, job.Iid),
            existing => Render(job.WorkPackage, job.Iid, Merge(StateOf(existing), new DeployNoteState(waves, []))),
            logger, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// An apply:&lt;wave&gt; job failed on the default branch: the note of the MR merged at the pipeline's commit gains the
    /// wave and the job's link. <paramref name="waves"/> (from the committed manifest) fill a note the merge did not write.
    /// </summary>
    public async Task RecordFailureAsync(ApplyJobsFinished pipeline, ApplyJob failed, IReadOnlyList<NoteWave> waves, CancellationToken cancellationToken)
    {
        if (pipeline.Sha is null)
        {
            Log.NoSha(logger, pipeline.PipelineId);
            return;
        }

        if (await ClientAsync(null, cancellationToken).ConfigureAwait(false) is not { } client)
        {
            return;
        }

        var project = GitLabProjectRef.Parse(pipeline.Project, "the webhook payload");
        var branch = options.BranchPrefix + failed.WorkPackage;
        var merged = (await client.MergeRequestsForCommitAsync(project, pipeline.Sha, cancellationToken).ConfigureAwait(false))
            .Where(mr => mr.State == "merged" && mr.SourceBranch == branch)
            .OrderByDescending(mr => mr.Iid)
            .FirstOrDefault();
        if (merged is null)
        {
            Log.NoMergeRequest(logger, pipeline.Sha, branch, failed.Wave);
            return;
        }

        var failure = new NoteFailure(failed.Wave, failed.JobId, failed.JobUrl);
        Posted(await PlanNotePublisher.PublishAsync(
            client, project, merged.Iid, Marker(failed.WorkPackage, merged.Iid),
            existing => Render(failed.WorkPackage, merged.Iid, Merge(StateOf(existing), new DeployNoteState(waves, [failure]))),
            logger, cancellationToken).ConfigureAwait(false));
    }

    public static string Render(string workPackage, long iid, DeployNoteState state)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Marker(workPackage, iid));
        sb.AppendLine(CultureInfo.InvariantCulture, $"<!-- nautilus:deploy-state:{Encode(state)} -->");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"### NetBox: work package {MarkdownText.Code(workPackage)} merged; the default-branch pipeline deploys it");
        sb.AppendLine();
        sb.AppendLine("NetBox keeps these objects **planned** until the `apply` job of their wave succeeds; then they become **active**. "
                      + "Each object has a journal entry naming this merge request.");
        sb.AppendLine();
        if (state.Waves.Count == 0 && state.Failed.Count == 0)
        {
            sb.AppendLine("The merge deploys no wave: the work package has no planned object.");
            return MarkdownText.NeutraliseQuickActions(sb.ToString());
        }

        sb.AppendLine("| wave | level | objects | deployment |");
        sb.AppendLine("|---|---|---|---|");
        var failedWaves = state.Failed.GroupBy(f => f.Wave, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var rows = state.Waves.Select(w =>
            (w.Name, Level: w.Level.ToString(CultureInfo.InvariantCulture), Objects: w.Objects.ToString(CultureInfo.InvariantCulture)))
            .Concat(failedWaves.Keys.Where(k => !state.Waves.Any(w => Matches(w.Name, k))).Select(k => (Name: k, Level: "?", Objects: "?")))
            .ToList();
        foreach (var (name, level, objects) in rows.Take(MaxRows))
        {
            var failures = failedWaves.Where(kv => Matches(name, kv.Key)).SelectMany(kv => kv.Value).ToList();
            var deployment = failures.Count == 0
                ? "to deploy"
                : "**failed** in " + string.Join(", ",
                    failures.Select(f => MarkdownText.WebLink("job " + f.Job.ToString(CultureInfo.InvariantCulture), f.Url)));
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {MarkdownText.TableCode(name)} | {level} | {objects} | {deployment} |");
        }

        if (rows.Count > MaxRows)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"… and {rows.Count - MaxRows} more waves (see the pipeline).");
        }

        if (state.Failed.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{DeliverySteps.Count(failedWaves.Count, "wave")} failed to apply: their objects stay **planned** in NetBox. Read the job's log, fix the " +
                    $"cause and retry the job.");
        }

        return MarkdownText.NeutraliseQuickActions(sb.ToString());
    }

    /// <summary>The state a note carries; null for no note, or a note whose state cannot be read (it is then rewritten from what is known).</summary>
    public static DeployNoteState? StateOf(string? body)
    {
        if (body is null || StateComment().Match(body) is not { Success: true } match)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DeployNoteState>(Convert.FromBase64String(match.Groups["state"].Value));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Waves as first listed (the merge's, else the manifest's); failures added once per job.</summary>
    private static DeployNoteState Merge(DeployNoteState? existing, DeployNoteState update) => existing is null
        ? update
        : new DeployNoteState(
            existing.Waves.Count > 0 ? existing.Waves : update.Waves,
            existing.Failed.Concat(update.Failed.Where(f => !existing.Failed.Any(e => e.Job == f.Job && e.Wave == f.Wave))).ToList());

    /// <summary>A job's environment names the wave by its key; the note by its name.</summary>
    /// <summary>The marker of the note about the work package's NetBox branch (conflicts at merge, or the MR closed).</summary>
    public static string BranchMarker(string workPackage, long iid) => $"<!-- nautilus:netbox-branch:{workPackage}:{iid} -->";

    /// <summary>The NetBox branch conflicts with main at merge: which objects and fields, main's and the branch's values, and the two ways out.</summary>
    public async Task PostBranchConflictsAsync(MergeRequestMerged job, NetBoxBranch branch, IReadOnlyList<BranchConflict> conflicts, long deliveryId,
        CancellationToken cancellationToken)
    {
        if (await ClientAsync(job.Iid, cancellationToken).ConfigureAwait(false) is not { } client)
        {
            return;
        }

        var body = new StringBuilder();
        body.Append(BranchMarker(job.WorkPackage, job.Iid)).Append('\n');
        body.Append("### NetBox branch ").Append(MarkdownText.Code(branch.Name)).Append(" not merged: ")
            .Append(conflicts.Count.ToString(CultureInfo.InvariantCulture)).Append(" conflict(s) with main\n\n");
        body.Append("Someone changed these objects in NetBox's main since the branch was made, so nothing was merged and no status changed.\n\n");
        body.Append("| object | field | main | branch |\n|---|---|---|---|\n");
        foreach (var conflict in conflicts.Take(MaxRows))
        {
            foreach (var field in conflict.Fields.DefaultIfEmpty(""))
            {
                body.Append("| ").Append(MarkdownText.TableCode($"{conflict.ObjectRepr ?? conflict.ObjectType} (id " +
                    $"{conflict.ObjectId.ToString(CultureInfo.InvariantCulture)})"))
                    .Append(" | ").Append(MarkdownText.TableCode(field))
                    .Append(" | ").Append(MarkdownText.TableCode(ValueOf(conflict, "main", field)))
                    .Append(" | ").Append(MarkdownText.TableCode(ValueOf(conflict, "branch", field))).Append(" |\n");
            }
        }

        body.Append("\nTwo ways out:\n\n");
        body.Append("1. Sync the branch with main in NetBox (").Append(MarkdownText.WebLink("the branch", branch.Url))
            .Append("), settle each field, then retry delivery ")
            .Append(deliveryId.ToString(CultureInfo.InvariantCulture)).Append(" (`POST /deliveries/").Append(deliveryId.ToString(CultureInfo.InvariantCulture))
                .Append("/retry`).\n");
        body.Append("2. To keep the branch's values over main's, an admin retries it with `POST /deliveries/")
            .Append(deliveryId.ToString(CultureInfo.InvariantCulture))
            .Append("/retry?acknowledge_conflicts=true`.\n");
        var project = GitLabProjectRef.Parse(job.Project, "the webhook payload");
        Posted(await PlanNotePublisher.PublishAsync(client, project, job.Iid, BranchMarker(job.WorkPackage, job.Iid), body.ToString(), logger,
            cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The MR was closed without merging: the NetBox branch is named, kept or deleted.</summary>
    public async Task PostBranchClosedAsync(MergeRequestClosed job, NetBoxBranch branch, bool deleted, CancellationToken cancellationToken)
    {
        if (await ClientAsync(job.Iid, cancellationToken).ConfigureAwait(false) is not { } client)
        {
            return;
        }

        var body = BranchMarker(job.WorkPackage, job.Iid) + "\n" + (deleted
            ? $"Closed without merging: NetBox branch {MarkdownText.Code(branch.Name)} was deleted (NAUTILUS_NETBOX_BRANCH_ON_CLOSE=delete); its planned " +
                $"objects never reached NetBox's main.\n"
            : $"Closed without merging: NetBox branch {MarkdownText.Code(branch.Name)} is kept ({MarkdownText.WebLink("open it", branch.Url)}); its planned " +
                $"objects are not in NetBox's main. Reopen this merge request to go on, or delete the branch in NetBox.\n");
        var project = GitLabProjectRef.Parse(job.Project, "the webhook payload");
        Posted(await PlanNotePublisher.PublishAsync(client, project, job.Iid, BranchMarker(job.WorkPackage, job.Iid), body, logger, cancellationToken)
            .ConfigureAwait(false));
    }

    private static string ValueOf(BranchConflict conflict, string side, string field) =>
        conflict.ConflictingData?[side]?[field]?.ToJsonString() is { } json ? json.Trim('"') : "";

    private static bool Matches(string name, string wave) => name == wave || Core.Planning.Planner.KeyOf(name) == wave;

    private static string Encode(DeployNoteState state) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(state));

    private async Task<GitLabClient?> ClientAsync(long? iid, CancellationToken cancellationToken)
    {
        if (await gitLab.GetAsync(cancellationToken).ConfigureAwait(false) is not { } client)
        {
            Log.NoGitLab(logger, iid ?? 0);
            return null;
        }

        if (client.Options.TokenKind != GitLabTokenKind.Private)
        {
            Log.NoToken(logger, iid ?? 0);
            return null;
        }

        return client;
    }

    [GeneratedRegex("<!-- nautilus:deploy-state:(?<state>[A-Za-z0-9+/=]*) -->")]
    private static partial Regex StateComment();

    private void Posted(Core.PlanNotes.NoteOutcome outcome) => Log.Posted(logger, outcome.Action, outcome.NoteId, outcome.Url);

    private static partial class Log
    {
        [LoggerMessage(EventId = 424, Level = LogLevel.Information, Message = "Deploy note {Action}: note {NoteId}, {Url}")]
        public static partial void Posted(ILogger logger, string action, long noteId, string url);

        [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "NAUTILUS_GITLAB_URL is not set: no deploy note on merge request !{Iid}")]
        public static partial void NoGitLab(ILogger logger, long iid);

        [LoggerMessage(EventId = 421, Level = LogLevel.Warning,
            Message = "NAUTILUS_GITLAB_TOKEN is not set: no deploy note on merge request !{Iid} (notes need an access token with the api scope)")]
        public static partial void NoToken(ILogger logger, long iid);

        [LoggerMessage(EventId = 422, Level = LogLevel.Information,
            Message = "Pipeline {PipelineId} has no commit sha: its failed apply job cannot be traced to a merge request")]
        public static partial void NoSha(ILogger logger, long pipelineId);

        [LoggerMessage(EventId = 423, Level = LogLevel.Information,
            Message = "No merged merge request from {Branch} contains {Sha}: the failure of wave {Wave} is not noted")]
        public static partial void NoMergeRequest(ILogger logger, string sha, string branch, string wave);
    }
}
