using Nautilus.Core;
using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// Branch &lt;prefix&gt;&lt;wp&gt; created: the tag wp:&lt;wp&gt; exists afterwards, and the objects that the work package's
/// document selects in its front matter carry it (their other tags kept), each with a journal entry. With
/// netbox-branching all of it happens inside the work package's NetBox branch, created here when missing.
/// </summary>
public sealed class BranchCreatedHandler(NetBoxBranches branches, WorkPackageDocuments documents, ILogger<NetBoxSync> syncLogger)
{
    public async Task HandleAsync(BranchCreated job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await branches.ForBranchCreatedAsync(job, context, cancellationToken).ConfigureAwait(false);
        var sync = new NetBoxSync(client, syncLogger);
        var tag = (await client.EnsureWorkPackageTagAsync(job.WorkPackage, $"Work package {job.WorkPackage} (branch {job.Branch})", dryRun: false,
            cancellationToken).ConfigureAwait(false)).Tag!;

        var step = DeliverySteps.Step(context, "branch");
        var targets = await DeliverySteps.TargetsAsync(context, step, async () =>
        {
            var selectors = await documents.SelectorsAsync(job, cancellationToken).ConfigureAwait(false);
            var selected = new Dictionary<(ObjectKind, int), NetBoxObject>();
            foreach (var selector in selectors)
            {
                var filter = new ObjectQuery { Extra = selector.Filter };
                IEnumerable<NetBoxObject> found = selector.Kind == ObjectKind.VirtualMachine
                    ? await client.ListVirtualMachinesAsync(filter, cancellationToken).ConfigureAwait(false)
                    : await client.ListDevicesAsync(filter, cancellationToken).ConfigureAwait(false);
                foreach (var o in found)
                {
                    selected.TryAdd((o.Kind, o.Id), o);
                }
            }

            return selected.Values.Where(o => !o.Tags.Exists(t => t.Id == tag.Id)).OrderBy(o => o.Kind).ThenBy(o => o.Id).Select(SyncTarget.Of);
        }, cancellationToken).ConfigureAwait(false);

        await DeliverySteps.AddTagAsync(sync, context, step, tag, targets, cancellationToken).ConfigureAwait(false);
        var where = client.Branch is { } branch ? $" in NetBox branch {branch.Name}" : "";
        var comment = $"Tagged {tag.Name}{where}: branch {job.Branch} was created at {job.Commit[..Math.Min(12, job.Commit.Length)]} and " +
            $"{WorkPackage.DocPath(job.WorkPackage)} selects this object.";
        await DeliverySteps.JournalAsync(sync, context, step, targets, comment, JournalKind.Info, cancellationToken).ConfigureAwait(false);
    }
}
