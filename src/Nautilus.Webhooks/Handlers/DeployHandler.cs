using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// SyncOn=deploy: a Pipeline Hook in which apply:&lt;wave&gt; succeeded on the default branch flips that wave's
/// planned objects to active, with a journal entry linking the pipeline.
/// </summary>
public sealed class DeployHandler(NetBoxConnection netBox, ILogger<NetBoxSync> syncLogger)
{
    public async Task HandleAsync(WavesApplied job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        var sync = new NetBoxSync(client, syncLogger);
        foreach (var applied in job.Waves)
        {
            var step = DeliverySteps.Step(context, $"{applied.WorkPackage}/{applied.Wave}");
            var targets = await DeliverySteps.TargetsAsync(context, step, async () =>
            {
                // The planner's own classification, so an object lands in the same wave here as in the pipeline,
                // and one the pipeline refuses (several wave tags) is refused here too, naming it.
                var planned = await sync.PlannedAsync(applied.WorkPackage, cancellationToken).ConfigureAwait(false);
                var classified = Planner.Classify(planned, $"NetBox at {client.Options.BaseUrl} (work package {applied.WorkPackage})");
                return classified.Where(p => InWave(p.Wave, applied.Wave)).Select(p => SyncTarget.Of(p.Source));
            }, cancellationToken).ConfigureAwait(false);

            await DeliverySteps.ActivateAsync(sync, context, step, targets, cancellationToken).ConfigureAwait(false);
            var comment = $"Status planned → active: wave {applied.Wave} of work package {applied.WorkPackage} applied by job {applied.JobId} in {DeliverySteps.Link("pipeline " + job.PipelineId, job.PipelineUrl)} ({job.PipelineUrl}).";
            await DeliverySteps.JournalAsync(sync, context, step, targets, comment, JournalKind.Success, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The job's environment may carry the wave's name or its file-safe key, so both match.</summary>
    private static bool InWave(string wave, string applied) => wave == applied || Planner.KeyOf(wave) == applied;
}
