using System.Text.Json.Nodes;
using Nautilus.Core;
using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The service's view of netbox-branching: whether branches are used (NAUTILUS_NETBOX_BRANCHING), and the work
/// package's branch, created on branch creation and worked in only once NetBox says it is ready.
/// </summary>
public sealed class NetBoxBranches(NetBoxConnection netBox, WebhookOptions options, TimeProvider time, ILogger<NetBoxBranches> logger)
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
            throw NautilusException.Unavailable($"NetBox branch '{branch.Name}' is {branch.StatusValue}; the delivery is retried until it is ready, and nothing is written in it before.");
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

    /// <summary>The branch's description links the GitLab branch it belongs to.</summary>
    public static string Description(BranchCreated job)
    {
        var link = job.ProjectUrl is { Length: > 0 } project ? $" {project.TrimEnd('/')}/-/tree/{job.Branch}" : "";
        return $"Work package {job.WorkPackage}: GitLab branch {job.Branch}{link} (created by nautilus-webhooks).";
    }
}
