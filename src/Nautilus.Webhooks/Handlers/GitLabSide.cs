using System.Text.Json.Nodes;

namespace Nautilus.Webhooks.Handlers;

/// <summary>Reads a work package's document at the branch's first commit through GitLab's Files API.</summary>
public sealed partial class WorkPackageDocuments(WebhookOptions options, ILogger<WorkPackageDocuments> logger)
{
    public Task<IReadOnlyList<ObjectSelector>> SelectorsAsync(BranchCreated job, CancellationToken cancellationToken)
    {
        if (options.GitLabUrl is null)
        {
            Log.NoGitLab(logger, job.WorkPackage);
            return Task.FromResult<IReadOnlyList<ObjectSelector>>([]);
        }

        return Task.FromResult<IReadOnlyList<ObjectSelector>>([]);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "NAUTILUS_GITLAB_URL is not set: the document of work package {WorkPackage} is not read, only its tag is ensured")]
        public static partial void NoGitLab(ILogger logger, string workPackage);
    }
}

/// <summary>The one note on a merged MR that says what changed in NetBox.</summary>
public sealed partial class MergeRequestNotes(WebhookOptions options, ILogger<MergeRequestNotes> logger)
{
    public Task PostMergeSummaryAsync(MergeRequestMerged job, IReadOnlyList<SyncTarget> targets, DeliveryContext context, JsonObject step, Uri netBoxUrl, CancellationToken cancellationToken)
    {
        if (options.GitLabUrl is null)
        {
            Log.NoGitLab(logger, job.Iid);
        }

        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "NAUTILUS_GITLAB_URL is not set: no note on merge request !{Iid}")]
        public static partial void NoGitLab(ILogger logger, long iid);
    }
}
