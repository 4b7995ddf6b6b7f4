using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// MR merged into the default branch (SyncOn=merge): the work package's planned objects become active in bulk,
/// each gets a journal entry linking the MR, and the MR gets one note saying what changed.
/// </summary>
public sealed class MergeHandler(NetBoxConnection netBox, MergeRequestNotes notes, ILogger<NetBoxSync> syncLogger)
{
    public async Task HandleAsync(MergeRequestMerged job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        var sync = new NetBoxSync(client, syncLogger);
        var step = DeliverySteps.Step(context, "merge");
        var targets = await DeliverySteps.TargetsAsync(
            context, step, async () => (await sync.PlannedAsync(job.WorkPackage, cancellationToken).ConfigureAwait(false)).Select(SyncTarget.Of), cancellationToken).ConfigureAwait(false);

        await DeliverySteps.ActivateAsync(sync, context, step, targets, cancellationToken).ConfigureAwait(false);
        var comment = $"Status planned → active: merge request {DeliverySteps.Link("!" + job.Iid, job.Url)} ({job.Url}) merged into {job.TargetBranch} (work package {job.WorkPackage}).";
        await DeliverySteps.JournalAsync(sync, context, step, targets, comment, JournalKind.Success, cancellationToken).ConfigureAwait(false);
        await notes.PostMergeSummaryAsync(job, targets, context, step, client.Options.BaseUrl, cancellationToken).ConfigureAwait(false);
    }
}
