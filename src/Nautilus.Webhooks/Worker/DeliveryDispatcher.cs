using System.Text.Json;
using Nautilus.Webhooks.Handlers;

namespace Nautilus.Webhooks.Worker;

/// <summary>Reads a stored delivery again and hands its job to the handler; no mediator, a switch.</summary>
public sealed partial class DeliveryDispatcher(
    WebhookOptions options,
    BranchCreatedHandler branchCreated,
    MergeHandler merge,
    DeployHandler deploy,
    NetBoxBranches branches,
    ILogger<DeliveryDispatcher> logger)
{
    public async Task DispatchAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        Classification classification;
        using (var document = JsonDocument.Parse(context.Delivery.Body))
        {
            classification = GitLabEvents.Classify(context.Delivery.Event, document.RootElement, options.SyncOn, options.BranchPrefix, options.Branching);
        }

        switch (classification.Job)
        {
            case BranchCreated job:
                using (logger.BeginScope(new Dictionary<string, object> { ["WorkPackage"] = job.WorkPackage }))
                {
                    await branchCreated.HandleAsync(job, context, cancellationToken).ConfigureAwait(false);
                }

                break;
            case MergeRequestMerged job:
                using (logger.BeginScope(new Dictionary<string, object> { ["WorkPackage"] = job.WorkPackage, ["MergeRequest"] = job.Iid }))
                {
                    await merge.HandleAsync(job, context, cancellationToken).ConfigureAwait(false);
                }

                break;
            case MergeRequestClosed job:
                using (logger.BeginScope(new Dictionary<string, object> { ["WorkPackage"] = job.WorkPackage, ["MergeRequest"] = job.Iid }))
                {
                    await branches.CloseAsync(job, context, cancellationToken).ConfigureAwait(false);
                }

                break;
            case ApplyJobsFinished job:
                using (logger.BeginScope(new Dictionary<string, object> { ["Pipeline"] = job.PipelineId }))
                {
                    await deploy.HandleAsync(job, context, cancellationToken).ConfigureAwait(false);
                }

                break;
            default:
                // Accepted under another configuration (NAUTILUS_SYNC_ON or the branch prefix changed since).
                Log.NothingToDo(logger, classification.Ignored ?? classification.Invalid ?? "no job");
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Nothing to do for this delivery under the current configuration: {Reason}")]
        public static partial void NothingToDo(ILogger logger, string reason);
    }
}
