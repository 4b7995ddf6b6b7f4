namespace Nautilus.Core.Configuration;

/// <summary>GitLab's predefined CI/CD variables, read in this one place (docs.gitlab.com/ci/variables/predefined_variables/).</summary>
public sealed record CiEnvironment
{
    public bool IsCi { get; init; }
    public string? ServerUrl { get; init; }
    public string? ApiV4Url { get; init; }
    public string? ProjectId { get; init; }
    public string? MergeRequestProjectId { get; init; }

    /// <summary>The project the MR's source branch lives in: another project than <see cref="MergeRequestProjectId"/> for an MR from a fork.</summary>
    public string? MergeRequestSourceProjectId { get; init; }
    public string? ProjectPath { get; init; }
    public string? ProjectUrl { get; init; }
    public string? DefaultBranch { get; init; }
    public string? CommitBranch { get; init; }
    public string? CommitSha { get; init; }
    public string? CommitMessage { get; init; }
    public string? ProjectDir { get; init; }
    public string? CommitRefName { get; init; }
    public string? MergeRequestIid { get; init; }
    public string? MergeRequestSourceBranch { get; init; }
    public string? MergeRequestTargetBranch { get; init; }
    public string? PipelineSource { get; init; }
    public string? PipelineId { get; init; }
    public string? PipelineUrl { get; init; }
    public string? JobId { get; init; }
    public string? JobName { get; init; }
    public string? JobUrl { get; init; }
    public string? JobToken { get; init; }

    public bool IsMergeRequest => !string.IsNullOrEmpty(MergeRequestIid);

    /// <summary>An MR whose source branch is in another project (a fork), which the target project's token cannot push to.</summary>
    public bool IsMergeRequestFromFork =>
        IsMergeRequest && !string.IsNullOrEmpty(MergeRequestSourceProjectId) && !string.IsNullOrEmpty(MergeRequestProjectId)
        && MergeRequestSourceProjectId != MergeRequestProjectId;

    public static CiEnvironment From(IEnvironment env) => new()
    {
        IsCi = string.Equals(env.Variable("CI"), "true", StringComparison.OrdinalIgnoreCase) || env.Variable("GITLAB_CI") is not null,
        ServerUrl = env.Variable("CI_SERVER_URL"),
        ApiV4Url = env.Variable("CI_API_V4_URL"),
        ProjectId = env.Variable("CI_PROJECT_ID"),
        MergeRequestProjectId = env.Variable("CI_MERGE_REQUEST_PROJECT_ID"),
        MergeRequestSourceProjectId = env.Variable("CI_MERGE_REQUEST_SOURCE_PROJECT_ID"),
        ProjectPath = env.Variable("CI_PROJECT_PATH"),
        ProjectUrl = env.Variable("CI_PROJECT_URL"),
        DefaultBranch = env.Variable("CI_DEFAULT_BRANCH"),
        CommitBranch = env.Variable("CI_COMMIT_BRANCH"),
        CommitSha = env.Variable("CI_COMMIT_SHA"),
        CommitMessage = env.Variable("CI_COMMIT_MESSAGE"),
        ProjectDir = env.Variable("CI_PROJECT_DIR"),
        CommitRefName = env.Variable("CI_COMMIT_REF_NAME"),
        MergeRequestIid = env.Variable("CI_MERGE_REQUEST_IID"),
        MergeRequestSourceBranch = env.Variable("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"),
        MergeRequestTargetBranch = env.Variable("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
        PipelineSource = env.Variable("CI_PIPELINE_SOURCE"),
        PipelineId = env.Variable("CI_PIPELINE_ID"),
        PipelineUrl = env.Variable("CI_PIPELINE_URL"),
        JobId = env.Variable("CI_JOB_ID"),
        JobName = env.Variable("CI_JOB_NAME"),
        JobUrl = env.Variable("CI_JOB_URL"),
        JobToken = env.Variable("CI_JOB_TOKEN"),
    };
}
