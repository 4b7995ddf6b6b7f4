using System.Text;
using System.Text.Json.Nodes;

namespace Nautilus.Webhooks.Tests.Support;

/// <summary>Real GitLab payloads (Payloads/SOURCES.md) with the fields a scenario needs changed.</summary>
public static class Payloads
{
    public const string DefaultBranch = "main";

    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json")))!.AsObject();

    public static string BranchCreated(string branch, string commit = "68d7a5528cf423dfaac37dd62a56ac9cc8a884e3", long projectId = 3319043)
    {
        var payload = Load("push_branch_created");
        payload["ref"] = "refs/heads/" + branch;
        payload["after"] = commit;
        payload["checkout_sha"] = commit;
        payload["project_id"] = projectId;
        payload["project"]!["default_branch"] = DefaultBranch;
        return payload.ToJsonString();
    }

    public static string Merged(string sourceBranch, long iid = 3, string target = DefaultBranch, long projectId = 1534233, string? mergeCommit = null)
    {
        var payload = Load("merge_request_merged");
        var attributes = payload["object_attributes"]!;
        attributes["source_branch"] = sourceBranch;
        attributes["target_branch"] = target;
        attributes["iid"] = iid;
        attributes["target_project_id"] = projectId;
        attributes["url"] = $"https://gitlab.example.com/infra/dc/-/merge_requests/{iid}";
        if (mergeCommit is not null)
        {
            attributes["merge_commit_sha"] = mergeCommit;
        }

        payload["project"]!["default_branch"] = DefaultBranch;
        return payload.ToJsonString();
    }

    public static string PipelineApplied(string wp, string wave, long pipelineId = 31, string status = "success", long? projectId = null, string? sha = null) =>
        Pipeline(pipelineId, projectId, sha, (wp, wave, status, 900 + pipelineId));

    /// <summary>A default-branch pipeline whose apply:&lt;wave&gt; jobs (environment &lt;wp&gt;/&lt;wave&gt;) ended as given.</summary>
    public static string Pipeline(long pipelineId, long? projectId, string? sha, params (string Wp, string Wave, string Status, long JobId)[] applies)
    {
        var payload = Load("pipeline_success");
        payload["object_attributes"]!["ref"] = DefaultBranch;
        payload["object_attributes"]!["id"] = pipelineId;
        if (sha is not null)
        {
            payload["object_attributes"]!["sha"] = sha;
        }

        if (projectId is not null)
        {
            payload["project"]!["id"] = projectId;
            payload["project"]!["web_url"] = "https://gitlab.example.com/infra/dc";
        }

        payload["project"]!["default_branch"] = DefaultBranch;
        foreach (var (wp, wave, status, jobId) in applies)
        {
            payload["builds"]!.AsArray().Add(new JsonObject
            {
                ["id"] = jobId,
                ["stage"] = "apply",
                ["name"] = $"apply:{wave}",
                ["status"] = status,
                ["environment"] = new JsonObject { ["name"] = $"{wp}/{wave}", ["action"] = "start", ["deployment_tier"] = "production" },
            });
        }

        return payload.ToJsonString();
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
