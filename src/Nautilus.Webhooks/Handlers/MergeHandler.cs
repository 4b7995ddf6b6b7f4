namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// MR merged into the default branch (SyncOn=merge): the work package's planned objects become active in bulk,
/// each gets a journal entry linking the MR, and the MR gets one note saying what changed.
/// </summary>
public sealed class MergeHandler(NetBoxConnection netBox, NetBoxSync sync, MergeRequestNotes notes)
{
    public async Task HandleAsync(MergeRequestMerged job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        var step = NetBoxSync.Step(context, "merge");
        if (step["targets"] is null)
        {
            var planned = await NetBoxSync.PlannedAsync(client, job.WorkPackage, cancellationToken).ConfigureAwait(false);
            step["targets"] = NetBoxSync.Save(planned.Select(SyncTarget.Of));
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        var targets = NetBoxSync.Load(step["targets"]);
        await sync.ActivateAsync(client, context, step, targets, cancellationToken).ConfigureAwait(false);
        var comment = $"Status planned → active: merge request {NetBoxSync.Link("!" + job.Iid, job.Url)} ({job.Url}) merged into {job.TargetBranch} (work package {job.WorkPackage}).";
        await sync.JournalAsync(client, context, step, targets, comment, "success", cancellationToken).ConfigureAwait(false);
        await notes.PostMergeSummaryAsync(job, targets, context, step, client.Options.BaseUrl, cancellationToken).ConfigureAwait(false);
    }
}
