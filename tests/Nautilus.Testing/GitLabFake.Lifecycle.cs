using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using WireMock;

namespace Nautilus.Testing;

/// <summary>
/// Branches, multi-file commits (POST …/repository/commits: create/update/delete actions, atomic, 400 on a create of an
/// existing file or an update/delete of a missing one, 403 on a protected branch) and issues with their notes
/// (author filter, state, paging, state_event close/reopen). Shapes: Fixtures/gitlab/commit_create.json,
/// branch_get.json, issue.json (see SOURCES.md).
/// </summary>
public sealed partial class GitLabFake
{
    private readonly Dictionary<(long Project, string Branch), (string Head, bool Protected)> _branches = [];
    private readonly List<PushedCommit> _commits = [];
    private readonly Dictionary<long, List<JsonObject>> _issues = [];
    private readonly Dictionary<(long Project, long Iid), List<JsonObject>> _issueNotes = [];
    private long _nextIssueId = 5000;

    /// <summary>A commit pushed through the Commits API: the request as sent and the commit id GitLab gave it.</summary>
    public sealed record PushedCommit(long Project, string Branch, string Id, string Parent, string Message, IReadOnlyList<JsonObject> Actions);

    /// <summary>
    /// A branch whose head is <paramref name="head"/>; <paramref name="files"/> are its files at that commit (served as raw
    /// files at the branch name and at the sha, and what commit actions are checked against).
    /// </summary>
    public GitLabFake WithBranch(long projectId, string name, string head, IReadOnlyDictionary<string, string>? files = null, bool protectedBranch = false)
    {
        lock (_gate)
        {
            _branches[(projectId, name)] = (head, protectedBranch);
            foreach (var (path, content) in files ?? new Dictionary<string, string>())
            {
                _files[(projectId, name, path)] = content;
                _files[(projectId, head, path)] = content;
            }
        }

        return this;
    }

    /// <summary>The head commit of a branch now.</summary>
    public string HeadOf(long projectId, string branch)
    {
        lock (_gate)
        {
            return _branches[(projectId, branch)].Head;
        }
    }

    /// <summary>Commits pushed through the API, in order.</summary>
    public IReadOnlyList<PushedCommit> Commits
    {
        get
        {
            lock (_gate)
            {
                return _commits.ToList();
            }
        }
    }

    /// <summary>A file at a ref as the repository holds it now, or null.</summary>
    public string? FileAt(long projectId, string reference, string path)
    {
        lock (_gate)
        {
            return _files.GetValueOrDefault((projectId, reference, path));
        }
    }

    /// <summary>The issues of a project as GitLab stores them, by iid.</summary>
    public IReadOnlyList<JsonObject> IssuesOf(long projectId)
    {
        lock (_gate)
        {
            return (_issues.GetValueOrDefault(projectId) ?? []).Select(i => i.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>The notes of an issue, oldest first.</summary>
    public IReadOnlyList<JsonObject> IssueNotesOf(long projectId, long iid)
    {
        lock (_gate)
        {
            return (_issueNotes.GetValueOrDefault((projectId, iid)) ?? []).Select(n => n.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>Routes of this part of the API; null when the path is not one of them.</summary>
    private ResponseMessage? RouteLifecycle(IRequestMessage request, long projectId, JsonObject project, string rest, string method, JsonObject? user)
    {
        if (BranchRoute().Match(rest) is { Success: true } branch && method == "GET")
        {
            var name = Uri.UnescapeDataString(branch.Groups["branch"].Value);
            return _branches.TryGetValue((projectId, name), out var b) ? Json(200, BranchJson(project, name, b.Head, b.Protected))
                : Message(404, "404 Branch Not Found");
        }

        if (rest == "/repository/commits" && method == "POST")
        {
            return CreateCommit(request, projectId, project, user!);
        }

        if (rest == "/issues" && method == "GET")
        {
            var query = HttpUtility.ParseQueryString(new Uri(request.Url).Query);
            IEnumerable<JsonObject> issues = _issues.GetValueOrDefault(projectId) ?? [];
            if (query["author_id"] is { } author)
            {
                issues = issues.Where(i => i["author"]!["id"]!.ToString() == author);
            }

            if (query["state"] is "opened" or "closed")
            {
                issues = issues.Where(i => (string?)i["state"] == query["state"]);
            }

            issues = issues.OrderBy(i => (string?)i[query["order_by"] == "updated_at" ? "updated_at" : "created_at"], StringComparer.Ordinal)
                .ThenBy(i => (long)i["iid"]!);
            if ((query["sort"] ?? "desc") == "desc")
            {
                issues = issues.Reverse();
            }

            return Paged(request, issues.ToList());
        }

        if (rest == "/issues" && method == "POST")
        {
            return CreateIssue(request, projectId, project, user!);
        }

        if (IssueRoute().Match(rest) is { Success: true } issueMatch)
        {
            var iid = long.Parse(issueMatch.Groups["iid"].Value, CultureInfo.InvariantCulture);
            var issue = (_issues.GetValueOrDefault(projectId) ?? []).FirstOrDefault(i => (long)i["iid"]! == iid);
            if (issue is null)
            {
                return Message(404, "404 Not found");
            }

            return (issueMatch.Groups["tail"].Value, method) switch
            {
                ("", "GET") => Json(200, issue.DeepClone()),
                ("", "PUT") => UpdateIssue(request, issue, user!),
                ("/notes", "POST") => CreateIssueNote(request, projectId, issue, user!),
                ("/notes", "GET") => Paged(request, _issueNotes.GetValueOrDefault((projectId, iid)) ?? []),
                _ => Message(405, "405 Method Not Allowed"),
            };
        }

        return null;
    }

    private JsonObject BranchJson(JsonObject project, string name, string head, bool isProtected)
    {
        var branch = JsonNode.Parse(File.ReadAllText(FixturePath("branch_get.json")))!.AsObject();
        branch["name"] = name;
        branch["protected"] = isProtected;
        branch["default"] = name == (string?)project["default_branch"];
        branch["web_url"] = $"{project["web_url"]}/-/tree/{name}";
        var commit = branch["commit"]!.AsObject();
        commit["id"] = head;
        commit["short_id"] = head[..Math.Min(8, head.Length)];
        return branch;
    }

    private ResponseMessage CreateCommit(IRequestMessage request, long projectId, JsonObject project, JsonObject author)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(request.Body ?? "")!.AsObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return Json(400, new JsonObject { ["error"] = "branch is missing, commit_message is missing, actions is missing" });
        }

        var branchName = (string?)body["branch"];
        var message = (string?)body["commit_message"];
        var actions = body["actions"] as JsonArray;
        var missing = new[] { ("branch", branchName is null), ("commit_message", message is null), ("actions", actions is null) }.Where(m => m.Item2)
            .Select(m => m.Item1 + " is missing").ToList();
        if (missing.Count > 0)
        {
            return Json(400, new JsonObject { ["error"] = string.Join(", ", missing) });
        }

        if (!_branches.TryGetValue((projectId, branchName!), out var branch))
        {
            // Without start_branch/start_sha GitLab will not create the branch.
            return Message(400, "You can only create or edit files when you are on a branch");
        }

        if (branch.Protected)
        {
            return Message(403, "You are not allowed to push into this branch");
        }

        // Atomic: every action is checked against the branch's files before any is applied.
        var files = _files.Where(f => f.Key.Project == projectId && f.Key.Ref == branchName)
            .ToDictionary(f => f.Key.Path, f => f.Value, StringComparer.Ordinal);
        var parsed = new List<JsonObject>();
        foreach (var node in actions!)
        {
            var action = node!.AsObject();
            var kind = (string?)action["action"];
            var path = (string?)action["file_path"];
            if (kind is not ("create" or "update" or "delete") || string.IsNullOrEmpty(path))
            {
                return Json(400, new JsonObject { ["error"] = "actions[action] does not have a valid value, actions[file_path] is missing" });
            }

            if (kind == "create" && files.ContainsKey(path))
            {
                return Message(400, "A file with this name already exists");
            }

            if (kind is "update" or "delete" && !files.ContainsKey(path))
            {
                return Message(400, "A file with this name doesn't exist");
            }

            if (kind is "create" or "update")
            {
                files[path] = (string?)action["content"] ?? "";
            }
            else
            {
                files.Remove(path);
            }

            parsed.Add(action.DeepClone().AsObject());
        }

        var id = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{branch.Head}\n{message}\n{_commits.Count}")));
        foreach (var key in _files.Keys.Where(k => k.Project == projectId && k.Ref == branchName).ToList())
        {
            _files.Remove(key);
        }

        foreach (var (path, content) in files)
        {
            _files[(projectId, branchName!, path)] = content;
            _files[(projectId, id, path)] = content;
        }

        _branches[(projectId, branchName!)] = (id, branch.Protected);
        _commits.Add(new PushedCommit(projectId, branchName!, id, branch.Head, message!, parsed));

        var commit = JsonNode.Parse(File.ReadAllText(FixturePath("commit_create.json")))!.AsObject();
        var now = Tick();
        commit["id"] = id;
        commit["short_id"] = id[..11];
        commit["title"] = message!.Split('\n')[0];
        commit["message"] = message;
        commit["author_name"] = author["name"]!.DeepClone();
        commit["committer_name"] = author["name"]!.DeepClone();
        commit["parent_ids"] = new JsonArray(branch.Head);
        commit["created_at"] = now;
        commit["committed_date"] = now;
        commit["authored_date"] = now;
        commit["web_url"] = $"{project["web_url"]}/-/commit/{id}";
        return Json(201, commit);
    }

    private ResponseMessage CreateIssue(IRequestMessage request, long projectId, JsonObject project, JsonObject author)
    {
        var body = JsonBody(request);
        if (body?["title"] is null)
        {
            return Json(400, new JsonObject { ["error"] = "title is missing" });
        }

        var list = _issues.TryGetValue(projectId, out var existing) ? existing : _issues[projectId] = [];
        long iid = list.Count + 1;
        var issue = JsonNode.Parse(File.ReadAllText(FixturePath("issue.json")))!.AsObject();
        var now = Tick();
        issue["id"] = ++_nextIssueId;
        issue["iid"] = iid;
        issue["project_id"] = projectId;
        issue["title"] = (string?)body["title"];
        issue["description"] = ExecuteQuickActions((string?)body["description"] ?? "");
        issue["labels"] = new JsonArray(((string?)body["labels"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => (JsonNode?)l).ToArray());
        issue["author"] = Author(author);
        issue["created_at"] = now;
        issue["updated_at"] = now;
        issue["user_notes_count"] = 0;
        issue["web_url"] = $"{project["web_url"]}/-/issues/{iid}";
        issue["references"] = new JsonObject { ["short"] = $"#{iid}", ["relative"] = $"#{iid}", ["full"] = $"{project["path_with_namespace"]}#{iid}" };
        issue["_links"] = new JsonObject
        {
            ["self"] = $"{Url}/api/v4/projects/{projectId}/issues/{iid}",
            ["notes"] = $"{Url}/api/v4/projects/{projectId}/issues/{iid}/notes",
            ["award_emoji"] = $"{Url}/api/v4/projects/{projectId}/issues/{iid}/award_emoji",
            ["project"] = $"{Url}/api/v4/projects/{projectId}",
            ["closed_as_duplicate_of"] = null,
        };
        list.Add(issue);
        _issueNotes[(projectId, iid)] = [];
        return Json(201, issue.DeepClone());
    }

    private ResponseMessage UpdateIssue(IRequestMessage request, JsonObject issue, JsonObject caller)
    {
        var body = JsonBody(request) ?? new JsonObject();
        if (body["title"] is { } title)
        {
            issue["title"] = title.DeepClone();
        }

        if (body["description"] is { } description)
        {
            issue["description"] = ExecuteQuickActions((string?)description ?? "");
        }

        if (body["labels"] is { } labels)
        {
            issue["labels"] = new JsonArray(((string?)labels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => (JsonNode?)l).ToArray());
        }

        var now = Tick();
        switch ((string?)body["state_event"])
        {
            case "close":
                issue["state"] = "closed";
                issue["closed_at"] = now;
                issue["closed_by"] = Author(caller);
                break;
            case "reopen":
                issue["state"] = "opened";
                issue["closed_at"] = null;
                issue["closed_by"] = null;
                break;
            case null:
                break;
            default:
                return Json(400, new JsonObject { ["error"] = "state_event does not have a valid value" });
        }

        issue["updated_at"] = now;
        return Json(200, issue.DeepClone());
    }

    private ResponseMessage CreateIssueNote(IRequestMessage request, long projectId, JsonObject issue, JsonObject author)
    {
        if (BodyOf(request) is not { } text)
        {
            return Json(400, new JsonObject { ["error"] = "body is missing" });
        }

        var iid = (long)issue["iid"]!;
        var created = Tick();
        var note = new JsonObject
        {
            ["id"] = ++_nextNoteId,
            ["type"] = null,
            ["body"] = ExecuteQuickActions(text),
            ["attachment"] = null,
            ["author"] = Author(author),
            ["created_at"] = created,
            ["updated_at"] = created,
            ["system"] = false,
            ["noteable_id"] = issue["id"]!.DeepClone(),
            ["noteable_type"] = "Issue",
            ["project_id"] = projectId,
            ["noteable_iid"] = iid,
            ["resolvable"] = false,
            ["confidential"] = false,
            ["internal"] = false,
        };
        _issueNotes[(projectId, iid)].Add(note);
        issue["user_notes_count"] = _issueNotes[(projectId, iid)].Count;
        return Json(201, note.DeepClone());
    }

    private static JsonObject Author(JsonObject user) => new()
    {
        ["id"] = user["id"]!.DeepClone(),
        ["username"] = user["username"]!.DeepClone(),
        ["name"] = user["name"]!.DeepClone(),
        ["state"] = "active",
        ["avatar_url"] = user["avatar_url"]?.DeepClone(),
        ["web_url"] = user["web_url"]?.DeepClone(),
    };

    private static JsonObject? JsonBody(IRequestMessage request)
    {
        try
        {
            return JsonNode.Parse(request.Body ?? "")?.AsObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("^/repository/branches/(?<branch>[^/]+)$")]
    private static partial Regex BranchRoute();

    [GeneratedRegex("^/issues/(?<iid>[0-9]+)(?<tail>/notes)?$")]
    private static partial Regex IssueRoute();
}
