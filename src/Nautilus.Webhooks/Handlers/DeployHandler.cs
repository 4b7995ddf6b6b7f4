using Nautilus.Core;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// SyncOn=deploy: a Pipeline Hook in which apply:&lt;wave&gt; succeeded on the default branch flips that wave's
/// planned objects to active, with a journal entry linking the pipeline.
/// </summary>
public sealed class DeployHandler(NetBoxConnection netBox, NetBoxSync sync)
{
    public async Task HandleAsync(WavesApplied job, DeliveryContext context, CancellationToken cancellationToken)
    {
        var client = await netBox.GetAsync(cancellationToken).ConfigureAwait(false);
        foreach (var applied in job.Waves)
        {
            var step = NetBoxSync.Step(context, $"{applied.WorkPackage}/{applied.Wave}");
            if (step["targets"] is null)
            {
                var planned = await NetBoxSync.PlannedAsync(client, applied.WorkPackage, cancellationToken).ConfigureAwait(false);
                step["targets"] = NetBoxSync.Save(planned.Where(o => InWave(o, applied.Wave)).Select(SyncTarget.Of));
                await context.SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            var targets = NetBoxSync.Load(step["targets"]);
            await sync.ActivateAsync(client, context, step, targets, cancellationToken).ConfigureAwait(false);
            var comment = $"Status planned → active: wave {applied.Wave} of work package {applied.WorkPackage} applied by job {applied.JobId} in {NetBoxSync.Link("pipeline " + job.PipelineId, job.PipelineUrl)} ({job.PipelineUrl}).";
            await sync.JournalAsync(client, context, step, targets, comment, "success", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// DESIGN section 2: the custom field deployment_wave, else the wave: tag, else "default". The job name may carry
    /// the wave's name or its file-safe key, so both match.
    /// </summary>
    public static bool InWave(NetBoxObject o, string wave)
    {
        var name = o.CustomText(Planner.WaveField)?.Trim() is { Length: > 0 } field
            ? field
            : o.Tags.Select(t => Tags.ValueOf(t.Name, Tags.WavePrefix)).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? Planner.DefaultWave;
        return name == wave || Planner.KeyOf(name) == wave;
    }
}
