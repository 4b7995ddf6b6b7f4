using System.Globalization;
using System.Text.Json;
using Nautilus.Core.GitLab;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// MR merged into the default branch. SyncOn=deploy (the default): a journal entry on each object of the work package
/// naming the MR, and one MR note listing the waves the merge deploys; statuses stay planned until the apply jobs
/// succeed (<see cref="DeployHandler"/>). SyncOn=merge: the work package's planned objects become active in bulk,
/// each with a journal entry linking the MR, and the MR gets one note saying what changed.
/// </summary>
public sealed class MergeHandler(
    NetBoxConnection netBox,
    WebhookOptions options,
    WorkPackageManifests manifests,
    MergeRequestNotes notes,
    DeploymentNotes deploymentNotes,
    NetBoxBranches branches,
    ILogger<NetBoxSync> syncLogger)
{
    public async Task HandleAsync(MergeRequestMerged job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        var sync = new NetBoxSync(client, syncLogger);

        // The work package's NetBox branch, when there is one, is merged into main first: statuses are read and written
        // in main, and only once main holds what the merge request reviewed.
        await branches.MergeAsync(job, context, cancellationToken).ConfigureAwait(false);
        if (options.SyncOn == SyncOn.Merge)
        {
            await ActivateAtMergeAsync(job, sync, client.Options.BaseUrl, context, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RecordMergeAsync(job, sync, client.Options.BaseUrl, context, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ActivateAtMergeAsync(MergeRequestMerged job, NetBoxSync sync, Uri netBoxUrl, DeliveryContext context,
        CancellationToken cancellationToken)
    {
        var step = DeliverySteps.Step(context, "merge");
        var targets = await DeliverySteps.TargetsAsync(
            context, step, async () => (await sync.PlannedAsync(job.WorkPackage, cancellationToken).ConfigureAwait(false)).Select(SyncTarget.Of),
                cancellationToken).ConfigureAwait(false);

        await DeliverySteps.ActivateAsync(sync, context, step, targets, cancellationToken).ConfigureAwait(false);
        var comment = $"Status planned → active: merge request {MarkdownText.WebLink("!" + job.Iid, job.Url)} ({job.Url}) merged into {job.TargetBranch} " +
            $"(work package {job.WorkPackage}).";
        await DeliverySteps.JournalAsync(sync, context, step, targets, comment, JournalKind.Success, cancellationToken).ConfigureAwait(false);
        await notes.PostMergeSummaryAsync(job, targets, context, step, netBoxUrl, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The objects and waves are the committed manifest's at the merge commit (what was reviewed), else, for a
    /// repository that does not commit its generated code, the work package's planned objects in NetBox, planned as
    /// the pipeline plans them.
    /// </summary>
    private async Task RecordMergeAsync(MergeRequestMerged job, NetBoxSync sync, Uri netBoxUrl, DeliveryContext context, CancellationToken cancellationToken)
    {
        var step = DeliverySteps.Step(context, "merge-deploy");
        var targets = await DeliverySteps.TargetsAsync(context, step, async () =>
        {
            var manifest = await manifests.ReadAsync(job.Project, job.WorkPackage, job.Commit, cancellationToken).ConfigureAwait(false);
            if (manifest is not null)
            {
                step["waves"] = JsonSerializer.SerializeToNode(manifest.Waves.Select(w => new NoteWave(w.Name, w.Level, w.Objects.Count)).ToList());
                var listed = manifest.Waves.SelectMany(w => w.Objects).Select(o => new SyncTarget(ObjectKindExtensions.OfContentType(o.Type), o.Id, o.Name))
                    .ToList();
                var present = await sync.ReadAsync(listed, cancellationToken).ConfigureAwait(false);
                return listed.Where(t => present.ContainsKey((t.Kind, t.Id)));
            }

            var planned = await sync.PlannedAsync(job.WorkPackage, cancellationToken).ConfigureAwait(false);
            var snapshot = new NetBoxSnapshot { VirtualMachines = planned.OfType<VirtualMachine>().ToList(), Devices = planned.OfType<Device>().ToList() };
            var plan = Planner.Plan(snapshot, job.WorkPackage, $"NetBox at {netBoxUrl}", statuses: ["planned"]);
            step["waves"] = JsonSerializer.SerializeToNode(plan.Waves.Select(w => new NoteWave(w.Name, w.Level, w.Objects.Count)).ToList());
            return planned.Select(SyncTarget.Of);
        }, cancellationToken).ConfigureAwait(false);

        // Saved with the targets, in the same checkpoint.
        var waves = step["waves"]?.Deserialize<List<NoteWave>>() ?? [];
        var comment = $"Merged: merge request {MarkdownText.WebLink("!" + job.Iid, job.Url)} ({job.Url}) into {job.TargetBranch} (work package " +
            $"{job.WorkPackage}). "
                      + "The status stays planned until the apply job of this object's wave succeeds on that branch.";
        var marker = $"[nautilus merge {job.Project}!{job.Iid.ToString(CultureInfo.InvariantCulture)}]";
        await DeliverySteps.JournalAsync(sync, context, step, targets, comment, JournalKind.Info, cancellationToken, eventMarker: marker).ConfigureAwait(false);
        await DeliverySteps.OnceAsync(context, step, "noted", () => deploymentNotes.PostMergedAsync(job, waves, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }
}
