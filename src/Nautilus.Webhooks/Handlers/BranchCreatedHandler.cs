using Nautilus.Core;
using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// Branch &lt;prefix&gt;&lt;wp&gt; created: the tag wp:&lt;wp&gt; exists afterwards, and the objects that the work package's
/// document selects in its front matter carry it (their other tags kept), each with a journal entry.
/// </summary>
public sealed class BranchCreatedHandler(NetBoxConnection netBox, NetBoxSync sync, WorkPackageDocuments documents)
{
    public async Task HandleAsync(BranchCreated job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        var (tag, _) = await client.EnsureTagAsync(WorkPackage.TagName(job.WorkPackage), "2196f3", $"Work package {job.WorkPackage} (branch {job.Branch})", cancellationToken).ConfigureAwait(false);

        var step = NetBoxSync.Step(context, "branch");
        if (step["targets"] is null)
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

            var untagged = selected.Values.Where(o => !o.Tags.Exists(t => t.Id == tag.Id)).OrderBy(o => o.Kind).ThenBy(o => o.Id);
            step["targets"] = NetBoxSync.Save(untagged.Select(SyncTarget.Of));
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        var targets = NetBoxSync.Load(step["targets"]);
        await sync.AddTagAsync(client, context, step, tag, targets, cancellationToken).ConfigureAwait(false);
        var comment = $"Tagged {tag.Name}: branch {job.Branch} was created at {job.Commit[..Math.Min(12, job.Commit.Length)]} and {WorkPackage.DocPath(job.WorkPackage)} selects this object.";
        await sync.JournalAsync(client, context, step, targets, comment, "info", cancellationToken).ConfigureAwait(false);
    }
}
