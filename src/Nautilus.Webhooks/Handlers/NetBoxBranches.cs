using System.Text.Json.Nodes;
using Nautilus.Core;
using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The service's view of netbox-branching: whether branches are used (NAUTILUS_NETBOX_BRANCHING), and the work
/// package's branch, created on branch creation and worked in only once NetBox says it is ready.
/// </summary>
public sealed class NetBoxBranches(NetBoxConnection netBox, WebhookOptions options, DeploymentNotes notes, TimeProvider time, ILogger<NetBoxBranches> logger)
{
    /// <summary>The plugin's operations when branches are used, else null (off, or auto without the plugin).</summary>
    public async Task<NetBoxBranching?> BranchingAsync(NetBoxClient client, CancellationToken cancellationToken)
    {
        if (options.Branching == BranchingMode.Off)
        {
            return null;
        }

        var branching = new NetBoxBranching(client, time, logger);
        return await branching.IsEnabledAsync(options.Branching, cancellationToken).ConfigureAwait(false) ? branching : null;
    }

    /// <summary>
    /// Branch &lt;prefix&gt;&lt;wp&gt; created: a client working in the NetBox branch named &lt;wp&gt; (found, or created with a
    /// description linking the GitLab branch), or on main without branching. While NetBox provisions the branch the
    /// delivery is retried with back-off, and nothing is written before it is ready.
    /// </summary>
    public async Task<NetBoxClient> ForBranchCreatedAsync(BranchCreated job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        if (await BranchingAsync(client, cancellationToken).ConfigureAwait(false) is not { } branching)
        {
            return client;
        }

        var step = DeliverySteps.Step(context, "netbox-branch");
        NetBoxBranch branch;
        if (step["id"] is JsonValue saved)
        {
            branch = await branching.GetAsync((int)saved, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            (branch, _) = await branching.EnsureAsync(job.WorkPackage, Description(job), cancellationToken).ConfigureAwait(false);
            step["id"] = branch.Id;
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        if (branch.IsBusy)
        {
            throw NautilusException.Unavailable($"NetBox branch '{branch.Name}' is {branch.StatusValue}; the delivery is retried until it is ready, and " +
                $"nothing is written in it before.");
        }

        if (!branch.IsReady)
        {
            throw NautilusException.InvalidData(
                $"NetBox branch '{branch.Name}' ({branch.Url}) is {branch.StatusValue}, so work package {job.WorkPackage} cannot use it. " +
                (branch.IsClosed
                    ? "A work package's branch is used once: choose a new work package name, or delete the old branch in NetBox and retry this delivery."
                    : "See the branch's jobs in NetBox, fix it (or delete it so it is created again), then retry this delivery."));
        }

        return client.InBranch(branch);
    }

    /// <summary>
    /// MR merged, before any status is read or written: the work package's NetBox branch is merged into main
    /// (commit: true) and its job followed to the end, so main holds what the MR reviewed; ids survive the merge, so
    /// the committed manifest stays valid. Conflicts with main: nothing is merged or flipped, the MR note lists them
    /// with the two ways out, and the delivery is dead-lettered; an admin retry with acknowledge_conflicts=true merges
    /// over them. A failed job is dead-lettered with NetBox's error. No branch (or branching off): nothing to do.
    /// </summary>
    public async Task MergeAsync(MergeRequestMerged job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var step = DeliverySteps.Step(context, "netbox-merge");
        if (step["done"] is not null)
        {
            return;
        }

        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        if (await BranchingAsync(client, cancellationToken).ConfigureAwait(false) is not { } branching
            || await branching.FindAsync(job.WorkPackage, cancellationToken).ConfigureAwait(false) is not { } branch)
        {
            step["done"] = "no branch";
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (step["job"] is not JsonValue savedJob)
        {
            if (branch.StatusValue == "merged")
            {
                step["done"] = "merged before";
                await context.SaveAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            if (branch.IsBusy)
            {
                throw NautilusException.Unavailable($"NetBox branch '{branch.Name}' is {branch.StatusValue}; the merge waits until it is ready.");
            }

            if (!branch.IsReady)
            {
                throw NautilusException.InvalidData($"NetBox branch '{branch.Name}' ({branch.Url}) is {branch.StatusValue}, so merge request {job.Url} " +
                    $"cannot merge it. Fix the branch in NetBox, then retry this delivery.");
            }

            var acknowledged = context.Progress[Queue.DeliveryProgress.AcknowledgeConflicts] is JsonValue ack
                && ack.GetValueKind() == System.Text.Json.JsonValueKind.True;
            var start = await branching.StartMergeAsync(branch, acknowledged, cancellationToken).ConfigureAwait(false);
            if (start.Conflicts.Count > 0)
            {
                await DeliverySteps.OnceAsync(context, step, "conflicts-noted",
                    () => notes.PostBranchConflictsAsync(job, branch, start.Conflicts, context.Id, cancellationToken), cancellationToken).ConfigureAwait(false);
                throw NautilusException.InvalidData(
                    $"NetBox branch '{branch.Name}' conflicts with main on {start.Conflicts.Count} object(s) " +
                        $"({string.Join("; ", start.Conflicts.Take(10).Select(Describe))}): nothing was merged and no status changed. "
                    + $"Either sync the branch in NetBox ({branch.Url}), resolve, and retry this delivery; or, to keep the branch's values, "
                    + $"POST /deliveries/{context.Id}/retry?acknowledge_conflicts=true as an admin.");
            }

            if (start.Job is null)
            {
                throw NautilusException.InvalidData($"NetBox refused to merge branch '{branch.Name}': {start.Detail ?? "no job and no reason given"}.");
            }

            step["job"] = start.Job.Id;
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
            savedJob = (JsonValue)step["job"]!;
        }

        var finished = await branching.WaitForJobAsync((int)savedJob, options.BranchJobPollInterval, options.BranchJobTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (finished.StatusValue != "completed")
        {
            throw NautilusException.InvalidData(
                $"Merging NetBox branch '{branch.Name}' ended {finished.StatusValue}: {finished.Error ?? "NetBox gave no error"} " +
                    $"({finished.DisplayUrl ?? finished.Url}). "
                + "Nothing was flipped. Fix it in NetBox (the branch is unchanged), then retry this delivery.");
        }

        logger.LogInformation("Merged NetBox branch {Branch} into main for merge request {Url}", branch.Name, job.Url);
        step["done"] = "merged";
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// MR closed without merging: the work package's NetBox branch is kept (the default, named in an MR note) or
    /// deleted (NAUTILUS_NETBOX_BRANCH_ON_CLOSE=delete); its planned objects never reached main either way.
    /// </summary>
    public async Task CloseAsync(MergeRequestClosed job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        if (await BranchingAsync(client, cancellationToken).ConfigureAwait(false) is not { } branching
            || await branching.FindAsync(job.WorkPackage, cancellationToken).ConfigureAwait(false) is not { } branch
            || branch.IsClosed)
        {
            return;
        }

        var step = DeliverySteps.Step(context, "netbox-close");
        if (options.DeleteBranchOnClose && step["deleted"] is null)
        {
            await branching.DeleteAsync(branch, cancellationToken).ConfigureAwait(false);
            step["deleted"] = true;
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        await DeliverySteps.OnceAsync(context, step, "noted", () => notes.PostBranchClosedAsync(job, branch, options.DeleteBranchOnClose, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(BranchConflict c) =>
        $"{c.ObjectRepr ?? c.ObjectType} (id {c.ObjectId}): {string.Join(", ", c.Fields)}";

    /// <summary>The branch's description links the GitLab branch it belongs to.</summary>
    public static string Description(BranchCreated job)
    {
        var link = job.ProjectUrl is { Length: > 0 } project ? $" {project.TrimEnd('/')}/-/tree/{job.Branch}" : "";
        return $"Work package {job.WorkPackage}: GitLab branch {job.Branch}{link} (created by nautilus-webhooks).";
    }
}
