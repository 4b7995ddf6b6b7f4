using System.Globalization;
using System.Text.Json;
using Nautilus.Core;

namespace Nautilus.Webhooks.Handlers;

/// <summary>What a delivery asks the worker to do, decided from the event header and payload alone.</summary>
public abstract record WebhookJob
{
    public abstract string Kind { get; }
}

/// <summary>Push Hook with before = 40 zeros on refs/heads/&lt;prefix&gt;&lt;wp&gt;.</summary>
public sealed record BranchCreated(string WorkPackage, string Branch, string Project, string Commit, string? ProjectUrl) : WebhookJob
{
    public override string Kind => "branch_created";
}

/// <summary>Merge Request Hook, action merge, into the project's default branch, from &lt;prefix&gt;&lt;wp&gt;.</summary>
/// <param name="Commit">The merge commit (the last commit for a fast-forward merge): where the committed manifest is read.</param>
public sealed record MergeRequestMerged(string WorkPackage, string Project, long Iid, string Url, string TargetBranch, string? Commit = null) : WebhookJob
{
    public override string Kind => "merge_request_merged";
}

/// <summary>Merge Request Hook, action close (not merged), of a &lt;prefix&gt;&lt;wp&gt; branch into the default branch, with NetBox branching used.</summary>
public sealed record MergeRequestClosed(string WorkPackage, string Project, long Iid, string Url) : WebhookJob
{
    public override string Kind => "merge_request_closed";
}

/// <summary>Pipeline Hook on the default branch in which apply:&lt;wave&gt; jobs finished, succeeded or failed (SyncOn=deploy).</summary>
/// <param name="Sha">The pipeline's commit: where the committed manifest is read, and how the merged MR is found.</param>
public sealed record ApplyJobsFinished(string Project, long PipelineId, string PipelineUrl, string? Sha, IReadOnlyList<ApplyJob> Jobs) : WebhookJob
{
    public override string Kind => "apply_jobs_finished";
}

/// <summary>One apply:&lt;wave&gt; job of the pipeline; <see cref="Wave"/> is what its environment &lt;wp&gt;/&lt;wave&gt; names (the wave's key).</summary>
public sealed record ApplyJob(string WorkPackage, string Wave, long JobId, bool Succeeded, string JobUrl);

/// <summary>The outcome of reading a delivery: a job, a reason to ignore it (202), or why it is malformed (400).</summary>
public sealed record Classification(WebhookJob? Job, string? Ignored, string? Invalid)
{
    public static Classification Of(WebhookJob job) => new(job, null, null);

    public static Classification Ignore(string reason) => new(null, reason, null);

    public static Classification Reject(string reason) => new(null, null, reason);
}

/// <summary>
/// Reads GitLab webhook payloads leniently: old payloads lack event_type/changes, and only the fields a job needs
/// are required (docs/design.md §13). Pure and shared by the endpoint (to answer at once) and the worker.
/// </summary>
public static class GitLabEvents
{
    public const string PushHook = "Push Hook";
    public const string MergeRequestHook = "Merge Request Hook";
    public const string PipelineHook = "Pipeline Hook";

    private const string ZeroSha = "0000000000000000000000000000000000000000";

    /// <param name="branching">NetBox branching as configured: a closed merge request only matters to a NetBox branch.</param>
    public static Classification Classify(string? eventName, JsonElement root, SyncOn syncOn, string branchPrefix,
        Core.NetBox.BranchingMode branching = Core.NetBox.BranchingMode.Off)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Classification.Reject("the body is not a JSON object");
        }

        return eventName switch
        {
            PushHook => Push(root, branchPrefix),
            MergeRequestHook => MergeRequest(root, branchPrefix, branching),
            PipelineHook => syncOn == SyncOn.Deploy
                ? Pipeline(root)
                : Classification.Ignore("NAUTILUS_SYNC_ON=merge: pipeline events are not used"),
            null or "" => Classification.Reject("the X-Gitlab-Event header is missing"),
            _ => Classification.Ignore($"event '{Clip(eventName)}' is not used"),
        };
    }

    private static Classification Push(JsonElement root, string prefix)
    {
        var missing = new List<string>();
        var reference = Text(root, "ref", missing);
        var before = Text(root, "before", missing);
        var after = Text(root, "after", missing);
        var project = ProjectOf(root, missing);
        if (missing.Count > 0)
        {
            return Classification.Reject($"Push Hook payload lacks {string.Join(", ", missing)}");
        }

        if (before != ZeroSha)
        {
            return Classification.Ignore("not a branch creation (before is not 40 zeros)");
        }

        if (after == ZeroSha || !reference!.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return Classification.Ignore("not a branch creation");
        }

        var branch = reference["refs/heads/".Length..];
        if (WorkPackageOf(branch, prefix) is not { } wp)
        {
            return Classification.Ignore($"branch '{Clip(branch)}' is not a work-package branch ({prefix}<wp>, wp matching [a-z0-9][a-z0-9-]{{0,48}})");
        }

        return Classification.Of(new BranchCreated(wp, branch, project!, after!, Optional(root, "project", "web_url")));
    }

    private static Classification MergeRequest(JsonElement root, string prefix, Core.NetBox.BranchingMode branching)
    {
        if (!root.TryGetProperty("object_attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
        {
            return Classification.Reject("Merge Request Hook payload lacks object_attributes");
        }

        var action = Optional(attributes, "action");
        if (action == "close" && branching != Core.NetBox.BranchingMode.Off)
        {
            return Closed(root, attributes, prefix);
        }

        if (action != "merge")
        {
            return Classification.Ignore($"merge request action '{Clip(action ?? "none")}' is not a merge");
        }

        var missing = new List<string>();
        var source = Text(attributes, "source_branch", missing, "object_attributes.");
        var target = Text(attributes, "target_branch", missing, "object_attributes.");
        var iid = Number(attributes, "iid", missing, "object_attributes.");
        var project = ProjectOf(root, missing)
            ?? (attributes.TryGetProperty("target_project_id", out var tp) && tp.ValueKind == JsonValueKind.Number ? tp.GetRawText() : null);
        if (project is not null)
        {
            missing.Remove("project.id");
        }

        var defaultBranch = Optional(root, "project", "default_branch") ?? Optional(attributes, "target", "default_branch");
        if (defaultBranch is null)
        {
            missing.Add("project.default_branch");
        }

        if (missing.Count > 0)
        {
            return Classification.Reject($"Merge Request Hook payload lacks {string.Join(", ", missing)}");
        }

        if (target != defaultBranch)
        {
            return Classification.Ignore($"merged into '{Clip(target!)}', not the default branch '{Clip(defaultBranch!)}'");
        }

        if (WorkPackageOf(source!, prefix) is not { } wp)
        {
            return Classification.Ignore($"source branch '{Clip(source!)}' is not a work-package branch ({prefix}<wp>)");
        }

        var url = Optional(attributes, "url")
                  ?? (Optional(root, "project", "web_url") is { } web ? $"{web}/-/merge_requests/{iid}" : $"merge request !{iid}");
        var commit = Optional(attributes, "merge_commit_sha") ?? Optional(attributes, "last_commit", "id");
        return Classification.Of(new MergeRequestMerged(wp, project!, iid!.Value, url, target!, commit));
    }

    /// <summary>A closed (unmerged) work-package merge request: its NetBox branch is kept or deleted.</summary>
    private static Classification Closed(JsonElement root, JsonElement attributes, string prefix)
    {
        var missing = new List<string>();
        var source = Text(attributes, "source_branch", missing, "object_attributes.");
        var iid = Number(attributes, "iid", missing, "object_attributes.");
        var project = ProjectOf(root, missing)
            ?? (attributes.TryGetProperty("target_project_id", out var tp) && tp.ValueKind == JsonValueKind.Number ? tp.GetRawText() : null);
        if (project is not null)
        {
            missing.Remove("project.id");
        }

        if (missing.Count > 0)
        {
            return Classification.Reject($"Merge Request Hook payload lacks {string.Join(", ", missing)}");
        }

        if (WorkPackageOf(source!, prefix) is not { } wp)
        {
            return Classification.Ignore($"source branch '{Clip(source!)}' is not a work-package branch ({prefix}<wp>)");
        }

        var url = Optional(attributes, "url")
                  ?? (Optional(root, "project", "web_url") is { } web ? $"{web}/-/merge_requests/{iid}" : $"merge request !{iid}");
        return Classification.Of(new MergeRequestClosed(wp, project!, iid!.Value, url));
    }

    private static Classification Pipeline(JsonElement root)
    {
        if (!root.TryGetProperty("object_attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
        {
            return Classification.Reject("Pipeline Hook payload lacks object_attributes");
        }

        var missing = new List<string>();
        var id = Number(attributes, "id", missing, "object_attributes.");
        var reference = Text(attributes, "ref", missing, "object_attributes.");
        var project = ProjectOf(root, missing);
        var defaultBranch = Optional(root, "project", "default_branch");
        if (defaultBranch is null)
        {
            missing.Add("project.default_branch");
        }

        if (missing.Count > 0)
        {
            return Classification.Reject($"Pipeline Hook payload lacks {string.Join(", ", missing)}");
        }

        if (reference != defaultBranch || (attributes.TryGetProperty("tag", out var tag) && tag.ValueKind == JsonValueKind.True))
        {
            return Classification.Ignore($"pipeline on '{Clip(reference!)}', not the default branch '{Clip(defaultBranch!)}'");
        }

        var web = Optional(root, "project", "web_url");
        var jobs = new List<ApplyJob>();
        if (root.TryGetProperty("builds", out var builds) && builds.ValueKind == JsonValueKind.Array)
        {
            foreach (var build in builds.EnumerateArray())
            {
                var status = Optional(build, "status");
                if (build.ValueKind != JsonValueKind.Object
                    || Optional(build, "name") is not { } name || !name.StartsWith("apply:", StringComparison.Ordinal)
                    || status is not ("success" or "failed"))
                {
                    continue;
                }

                // The generated child pipeline names each apply job's environment <wp>/<wave> (docs/design.md, child
                // pipeline): the pipeline runs on the default branch, so the environment is where the work package is named.
                var environment = Optional(build, "environment", "name");
                var slash = environment?.IndexOf('/', StringComparison.Ordinal) ?? -1;
                if (slash <= 0 || WorkPackage.IsValid(environment![..slash]) is false)
                {
                    continue;
                }

                var jobId = build.TryGetProperty("id", out var jid) && jid.ValueKind == JsonValueKind.Number ? jid.GetInt64() : 0;
                var jobUrl = web is null ? $"job {jobId}" : $"{web}/-/jobs/{jobId}";
                jobs.Add(new ApplyJob(environment[..slash], environment[(slash + 1)..], jobId, status == "success", jobUrl));
            }
        }

        if (jobs.Count == 0)
        {
            return Classification.Ignore("no finished apply:<wave> job with an environment <wp>/<wave>");
        }

        var url = Optional(attributes, "url") ?? (web is not null ? $"{web}/-/pipelines/{id}" : $"pipeline {id}");
        return Classification.Of(new ApplyJobsFinished(project!, id!.Value, url, Optional(attributes, "sha"),
            jobs.DistinctBy(j => (j.WorkPackage, j.Wave, j.JobId)).ToList()));
    }

    /// <summary>The work package of a branch, or null: a name that does not match the pattern never reaches NetBox.</summary>
    public static string? WorkPackageOf(string branch, string prefix)
    {
        if (!branch.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var wp = branch[prefix.Length..];
        return WorkPackage.IsValid(wp) ? wp : null;
    }

    private static string? ProjectOf(JsonElement root, List<string> missing)
    {
        if (root.TryGetProperty("project", out var project) && project.ValueKind == JsonValueKind.Object
            && project.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
        {
            return id.GetRawText();
        }

        if (root.TryGetProperty("project_id", out var pid) && pid.ValueKind == JsonValueKind.Number)
        {
            return pid.GetRawText();
        }

        missing.Add("project.id");
        return null;
    }

    private static string? Text(JsonElement element, string name, List<string> missing, string path = "")
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        missing.Add(path + name);
        return null;
    }

    private static long? Number(JsonElement element, string name, List<string> missing, string path = "")
    {
        if (element.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
            {
                return n;
            }

            if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n))
            {
                return n;
            }
        }

        missing.Add(path + name);
        return null;
    }

    private static string? Optional(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    /// <summary>Names from a payload are echoed in answers and logs; keep them short.</summary>
    private static string Clip(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
