using Nautilus.Core.GitLab;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// SyncOn=deploy, a Pipeline Hook on the default branch. Each apply:&lt;wave&gt; job that succeeded flips that wave's
/// objects planned → active, those the committed manifest lists for the wave at the pipeline's commit, with a journal
/// entry linking the job. The job's own sync (nautilus iac deploy) normally did it already; then nothing is written:
/// this is the safety net for a job that could not reach NetBox. Each apply job that failed is added to the MR's
/// deploy note with its link.
/// </summary>
public sealed class DeployHandler(NetBoxConnection netBox, WorkPackageManifests manifests, DeploymentNotes notes, ILogger<NetBoxSync> syncLogger)
{
    public async Task HandleAsync(ApplyJobsFinished pipeline, DeliveryContext context, CancellationToken cancellationToken)
    {
        var read = new Dictionary<string, Manifest?>(StringComparer.Ordinal);
        async Task<Manifest?> ManifestOf(string workPackage)
        {
            if (!read.TryGetValue(workPackage, out var manifest))
            {
                read[workPackage] = manifest = await manifests.ReadAsync(pipeline.Project, workPackage, pipeline.Sha, cancellationToken).ConfigureAwait(false);
            }

            return manifest;
        }

        NetBoxSync? sync = null;
        foreach (var job in pipeline.Jobs)
        {
            if (job.Succeeded)
            {
                sync ??= new NetBoxSync(await netBox.GetAsync(cancellationToken).ConfigureAwait(false), syncLogger);
                await ActivateAsync(pipeline, job, sync, ManifestOf, context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var step = DeliverySteps.Step(context, $"{job.WorkPackage}/{job.Wave}/failed/{job.JobId}");
                await DeliverySteps.OnceAsync(context, step, "noted", async () =>
                {
                    var manifest = await ManifestOf(job.WorkPackage).ConfigureAwait(false);
                    var waves = manifest?.Waves.Select(w => new NoteWave(w.Name, w.Level, w.Objects.Count)).ToList() ?? [];
                    await notes.RecordFailureAsync(pipeline, job, waves, cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ActivateAsync(
        ApplyJobsFinished pipeline, ApplyJob job, NetBoxSync sync, Func<string, Task<Manifest?>> manifestOf, DeliveryContext context,
            CancellationToken cancellationToken)
    {
        var step = DeliverySteps.Step(context, $"{job.WorkPackage}/{job.Wave}");

        // Only the objects still planned: those the job's own sync made active get no second journal entry.
        var targets = await DeliverySteps.TargetsAsync(context, step, async () =>
        {
            var listed = await WaveObjectsAsync(job, sync, manifestOf, cancellationToken).ConfigureAwait(false);
            var current = await sync.ReadAsync(listed, cancellationToken).ConfigureAwait(false);
            return listed.Where(t => current.TryGetValue((t.Kind, t.Id), out var o) && o.StatusValue == "planned");
        }, cancellationToken).ConfigureAwait(false);

        await DeliverySteps.ActivateAsync(sync, context, step, targets, cancellationToken).ConfigureAwait(false);
        var comment = $"Status planned → active: wave {job.Wave} of work package {job.WorkPackage} applied by " +
            $"{MarkdownText.WebLink("job " + job.JobId, job.JobUrl)} "
                      + $"in {MarkdownText.WebLink("pipeline " + pipeline.PipelineId, pipeline.PipelineUrl)} ({pipeline.PipelineUrl}); set by the webhook " +
                          $"service, as the job had not synced it.";
        await DeliverySteps.JournalAsync(sync, context, step, targets, comment, JournalKind.Success, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The wave's objects in the committed manifest at the pipeline's commit. A repository that does not commit its
    /// generated code has none: then the work package's planned objects in NetBox whose wave this is, classified as
    /// the planner classifies them (an object the pipeline would refuse is refused here too, naming it).
    /// </summary>
    private static async Task<List<SyncTarget>> WaveObjectsAsync(ApplyJob job, NetBoxSync sync, Func<string, Task<Manifest?>> manifestOf,
        CancellationToken cancellationToken)
    {
        if (await manifestOf(job.WorkPackage).ConfigureAwait(false) is { } manifest)
        {
            var wave = manifest.Waves.FirstOrDefault(w => w.Key == job.Wave) ?? manifest.Waves.FirstOrDefault(w => w.Name == job.Wave);
            return wave?.Objects.Select(o => new SyncTarget(ObjectKindExtensions.OfContentType(o.Type), o.Id, o.Name)).ToList() ?? [];
        }

        var planned = await sync.PlannedAsync(job.WorkPackage, cancellationToken).ConfigureAwait(false);
        return Planner.Classify(planned, $"NetBox (work package {job.WorkPackage})")
            .Where(p => p.Wave == job.Wave || Planner.KeyOf(p.Wave) == job.Wave)
            .Select(p => SyncTarget.Of(p.Source))
            .ToList();
    }
}
