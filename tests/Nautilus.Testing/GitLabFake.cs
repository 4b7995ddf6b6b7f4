using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Nautilus.Testing;

/// <summary>
/// A GitLab REST API v4 on WireMock: the current user, projects by id or %2F-encoded path, merge requests,
/// MR notes (offset paging with x-page/x-next-page/x-total/Link, per_page ≤ 100, sort/order_by, quick
/// actions executed and stripped as GitLab does, the 1,000,000-character body cap, author-only edits),
/// raw repository files and Terraform states, and (GitLabFake.Lifecycle.cs) branches, multi-file commits and issues. PRIVATE-TOKEN and JOB-TOKEN (the job-token
/// allowlist only;
/// Terraform state by basic auth gitlab-ci-token) are checked. Faults and 429s are injectable.
/// Payload shapes follow the documented examples in Fixtures/gitlab (see SOURCES.md there).
/// </summary>
public sealed partial class GitLabFake : IDisposable
{
    /// <summary>The quick actions GitLab runs from a note line that starts with them (docs.gitlab.com/user/project/quick_actions/), a subset.</summary>
    private static readonly HashSet<string> QuickActionNames = new(StringComparer.Ordinal)
    {
        "merge", "approve", "unapprove", "close", "reopen", "label", "unlabel", "assign", "unassign", "milestone", "draft", "ready",
        "title", "rebase", "submit_review", "unsubscribe", "subscribe", "lock", "unlock", "target_branch", "reviewer", "award", "spend", "estimate",
    };

    private readonly WireMockServer _server;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _jobTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<long, JsonObject> _userById = [];
    private readonly List<JsonObject> _projects = [];
    private readonly Dictionary<(long Project, long Iid), JsonObject> _mergeRequests = [];
    private readonly Dictionary<(long Project, long Iid), List<JsonObject>> _notes = [];
    private readonly Dictionary<(long Project, string Ref, string Path), string> _files = [];
    private readonly Dictionary<(long Project, string Name), string> _states = [];
    private readonly List<string> _quickActions = [];
    private long _nextNoteId = 1000;
    private DateTimeOffset _clock = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public GitLabFake()
    {
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath(new RegexMatcher("^/api/v4/.*")).UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(Handle));
    }

    /// <summary>The instance root (what NAUTILUS_GITLAB_URL or CI_SERVER_URL holds).</summary>
    public string Url => _server.Url!;

    /// <summary>Omit x-total, x-total-pages and rel="last", as GitLab does above 10,000 items (docs/design.md §13).</summary>
    public bool OmitTotals { get; set; }

    /// <summary>Quick actions GitLab would have executed from note bodies, in order ("/merge", …).</summary>
    public IReadOnlyList<string> ExecutedQuickActions
    {
        get
        {
            lock (_gate)
            {
                return _quickActions.ToList();
            }
        }
    }

    public IReadOnlyList<WireMock.Logging.ILogEntry> Requests => _server.LogEntries.ToList();

    public IEnumerable<WireMock.Logging.ILogEntry> RequestsTo(string method, string pathContains) =>
        _server.LogEntries.Where(e => e.RequestMessage.Method == method && RawPath(e.RequestMessage).Contains(pathContains, StringComparison.Ordinal));

    public IEnumerable<WireMock.Logging.ILogEntry> Writes =>
        _server.LogEntries.Where(e => e.RequestMessage.Method is "POST" or "PUT" or "DELETE");

    /// <summary>A user whose access token (PRIVATE-TOKEN) is <paramref name="token"/>; project access tokens are bot users.</summary>
    public GitLabFake WithUser(long id, string username, string token, bool bot = false)
    {
        lock (_gate)
        {
            var user = new JsonObject
            {
                ["id"] = id,
                ["username"] = username,
                ["name"] = bot ? username : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(username.Replace('.', ' ')),
                ["state"] = "active",
                ["locked"] = false,
                ["avatar_url"] = $"{Url}/uploads/-/system/user/avatar/{id}/avatar.png",
                ["web_url"] = $"{Url}/{username}",
                ["created_at"] = "2024-03-01T10:00:00.000Z",
                ["bot"] = bot,
            };
            _users[token] = user;
            _userById[id] = user;
        }

        return this;
    }

    /// <summary>A CI_JOB_TOKEN acting for user <paramref name="userId"/>.</summary>
    public GitLabFake WithJobToken(string token, long userId)
    {
        lock (_gate)
        {
            _jobTokens[token] = userId;
        }

        return this;
    }

    public GitLabFake WithProject(long id, string pathWithNamespace, string defaultBranch = "main")
    {
        lock (_gate)
        {
            _projects.Add(new JsonObject
            {
                ["id"] = id,
                ["name"] = pathWithNamespace.Split('/')[^1],
                ["path"] = pathWithNamespace.Split('/')[^1],
                ["path_with_namespace"] = pathWithNamespace,
                ["name_with_namespace"] = string.Join(" / ", pathWithNamespace.Split('/')),
                ["default_branch"] = defaultBranch,
                ["visibility"] = "private",
                ["web_url"] = $"{Url}/{pathWithNamespace}",
            });
        }

        return this;
    }

    public GitLabFake WithMergeRequest(long projectId, long iid, string sourceBranch, string targetBranch = "main", string title = "Work package")
    {
        lock (_gate)
        {
            var project = _projects.Single(p => (long)p["id"]! == projectId);
            var mr = JsonNode.Parse(File.ReadAllText(FixturePath("merge_request_get.json")))!.AsObject();
            var webUrl = $"{project["web_url"]}/-/merge_requests/{iid}";
            mr["id"] = 155_000_000 + (projectId * 1000) + iid;
            mr["iid"] = iid;
            mr["project_id"] = projectId;
            mr["source_project_id"] = projectId;
            mr["target_project_id"] = projectId;
            mr["title"] = title;
            mr["source_branch"] = sourceBranch;
            mr["target_branch"] = targetBranch;
            mr["web_url"] = webUrl;
            mr["reference"] = $"!{iid}";
            mr["references"] = new JsonObject { ["short"] = $"!{iid}", ["relative"] = $"!{iid}", ["full"] = $"{project["path_with_namespace"]}!{iid}" };
            _mergeRequests[(projectId, iid)] = mr;
            _notes[(projectId, iid)] = [];
        }

        return this;
    }

    /// <summary>
    /// The merge request as GitLab shows it once merged: state "merged" and its merge commit, so the commit's
    /// merge requests (GET /projects/:id/repository/commits/:sha/merge_requests, docs.gitlab.com/api/commits/) list it.
    /// </summary>
    public GitLabFake Merge(long projectId, long iid, string mergeCommitSha)
    {
        lock (_gate)
        {
            var mr = _mergeRequests[(projectId, iid)];
            mr["state"] = "merged";
            mr["merge_commit_sha"] = mergeCommitSha;
            mr["merged_at"] = "2026-11-20T10:00:00.000Z";
            mr["detailed_merge_status"] = "not_open";
        }

        return this;
    }

    /// <summary>An existing note (by anyone) on a merge request; returns its id.</summary>
    public long AddNote(long projectId, long iid, long authorId, string body, bool system = false)
    {
        lock (_gate)
        {
            var note = NewNote(projectId, iid, _userById[authorId], body, system);
            _notes[(projectId, iid)].Add(note);
            return (long)note["id"]!;
        }
    }

    /// <summary>Adds <paramref name="count"/> notes by <paramref name="authorId"/>, to spread the interesting ones over several pages.</summary>
    public GitLabFake WithChatter(long projectId, long iid, long authorId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            AddNote(projectId, iid, authorId, $"Looks good to me ({i + 1}).");
        }

        return this;
    }

    public GitLabFake WithFile(long projectId, string reference, string path, string content)
    {
        lock (_gate)
        {
            _files[(projectId, reference, path)] = content;
        }

        return this;
    }

    /// <summary>A GitLab-managed Terraform state (the raw state JSON, as the HTTP backend stored it).</summary>
    public GitLabFake WithTerraformState(long projectId, string name, string stateJson)
    {
        lock (_gate)
        {
            _states[(projectId, name)] = stateJson;
        }

        return this;
    }

    /// <summary>The notes of a merge request as GitLab stores them, oldest first.</summary>
    public IReadOnlyList<JsonObject> NotesOf(long projectId, long iid)
    {
        lock (_gate)
        {
            return _notes[(projectId, iid)].Select(n => n.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>The next <paramref name="times"/> requests (whose path contains <paramref name="pathContains"/>) get 429 with GitLab's rate-limit
    /// headers.</summary>
    public GitLabFake RateLimitNext(int times, string? retryAfter = "1", long? resetEpoch = null, string? pathContains = null)
    {
        for (var i = 0; i < times; i++)
        {
            _faults.Enqueue(new Fault(HttpStatusCode.TooManyRequests, "Retry later\n", pathContains, retryAfter, resetEpoch));
        }

        return this;
    }

    public GitLabFake FailNext(int times, HttpStatusCode status, string body = "", string? pathContains = null)
    {
        for (var i = 0; i < times; i++)
        {
            _faults.Enqueue(new Fault(status, body, pathContains, null, null));
        }

        return this;
    }

    public void Dispose() => _server.Stop();

    /// <summary>The path as sent, still %-encoded (GitLab tells group%2Fproject from two segments).</summary>
    private static string RawPath(IRequestMessage request)
    {
        var url = request.Url;
        var start = url.IndexOf("/api/v4", StringComparison.Ordinal);
        var end = url.IndexOf('?', StringComparison.Ordinal);
        return start < 0 ? request.Path : url[start..(end < 0 ? url.Length : end)];
    }

    private ResponseMessage Handle(IRequestMessage request)
    {
        if (TakeFault(RawPath(request)) is { } fault)
        {
            var response = Text((int)fault.Status, fault.Body);
            if (fault.Status == HttpStatusCode.TooManyRequests)
            {
                response.AddHeader("RateLimit-Name", "throttle_authenticated_api");
                response.AddHeader("RateLimit-Limit", "60");
                response.AddHeader("RateLimit-Observed", "61");
                response.AddHeader("RateLimit-Remaining", "0");
                if (fault.ResetEpoch is { } epoch)
                {
                    response.AddHeader("RateLimit-Reset", epoch.ToString(CultureInfo.InvariantCulture));
                    response.AddHeader("RateLimit-ResetTime", DateTimeOffset.FromUnixTimeSeconds(epoch).ToString("r", CultureInfo.InvariantCulture));
                }

                if (fault.RetryAfter is not null)
                {
                    response.AddHeader("Retry-After", fault.RetryAfter);
                }
            }

            return response;
        }

        lock (_gate)
        {
            return Route(request);
        }
    }

    private Fault? TakeFault(string path)
    {
        var kept = new List<Fault>();
        Fault? taken = null;
        while (_faults.TryDequeue(out var f))
        {
            if (taken is null && (f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal)))
            {
                taken = f;
                continue;
            }

            kept.Add(f);
        }

        foreach (var f in kept)
        {
            _faults.Enqueue(f);
        }

        return taken;
    }

    private ResponseMessage Route(IRequestMessage request)
    {
        var path = RawPath(request)["/api/v4".Length..];
        var method = request.Method;
        var caller = Authenticate(request, path, method);
        if (caller.Error is { } denied)
        {
            return denied;
        }

        if (path == "/user" && method == "GET")
        {
            return caller.User is null || caller.ViaJobToken ? Message(401, "401 Unauthorized") : Json(200, caller.User.DeepClone());
        }

        var match = ProjectRoute().Match(path);
        if (!match.Success)
        {
            return Message(404, "404 Not Found");
        }

        var project = FindProject(match.Groups["project"].Value);
        if (project is null)
        {
            return Message(404, "404 Project Not Found");
        }

        var projectId = (long)project["id"]!;
        var rest = match.Groups["rest"].Value;
        if (rest.Length == 0 && method == "GET")
        {
            return Json(200, project.DeepClone());
        }

        if (MergeRequestRoute().Match(rest) is { Success: true } mrMatch)
        {
            var iid = long.Parse(mrMatch.Groups["iid"].Value, CultureInfo.InvariantCulture);
            if (!_mergeRequests.TryGetValue((projectId, iid), out var mr))
            {
                return Message(404, "404 Not found");
            }

            var tail = mrMatch.Groups["tail"].Value;
            return (tail, method) switch
            {
                ("", "GET") => Json(200, mr.DeepClone()),
                ("/notes", "GET") => ListNotes(request, projectId, iid),
                ("/notes", "POST") => CreateNote(request, projectId, iid, caller.User!),
                (var t, "PUT") when t.StartsWith("/notes/", StringComparison.Ordinal) =>
                    UpdateNote(request, projectId, iid, t["/notes/".Length..], caller.User!),
                _ => Message(405, "405 Method Not Allowed"),
            };
        }

        if (CommitMergeRequestsRoute().Match(rest) is { Success: true } commit && method == "GET")
        {
            var sha = commit.Groups["sha"].Value;
            var found = _mergeRequests.Values.Where(m => (long)m["project_id"]! == projectId
                && ((string?)m["sha"] == sha || (string?)m["merge_commit_sha"] == sha));
            return Json(200, new JsonArray(found.Select(m => (JsonNode?)m.DeepClone()).ToArray()));
        }

        if (RawFileRoute().Match(rest) is { Success: true } file && method == "GET")
        {
            var filePath = Uri.UnescapeDataString(file.Groups["path"].Value);
            var reference = HttpUtility.ParseQueryString(new Uri(request.Url).Query)["ref"];
            if (reference is null)
            {
                return Json(400, new JsonObject { ["error"] = "ref is missing" });
            }

            return _files.TryGetValue((projectId, reference, filePath), out var content)
                ? Text(200, content, "text/plain; charset=utf-8")
                : Message(404, "404 File Not Found");
        }

        if (StateRoute().Match(rest) is { Success: true } state && method == "GET")
        {
            var name = Uri.UnescapeDataString(state.Groups["name"].Value);
            return _states.TryGetValue((projectId, name), out var json) ? Text(200, json, "application/json") : Message(404, "404 Not found");
        }

        return RouteLifecycle(request, projectId, project, rest, method, caller.User) ?? Message(404, "404 Not Found");
    }

    private (JsonObject? User, bool ViaJobToken, ResponseMessage? Error) Authenticate(IRequestMessage request, string path, string method)
    {
        string? Header(string name) =>
            request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

        if (Header("PRIVATE-TOKEN") is { } privateToken)
        {
            return _users.TryGetValue(privateToken, out var user) ? (user, false, null) : (null, false, Message(401, "401 Unauthorized"));
        }

        var isState = path.Contains("/terraform/state/", StringComparison.Ordinal);
        string? jobToken = Header("JOB-TOKEN");
        if (Header("Authorization") is { } authorization && authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..])).Split(':', 2);
            if (pair[0] == "gitlab-ci-token" && isState)
            {
                jobToken = pair[1];
            }
            else
            {
                return _users.TryGetValue(pair.ElementAtOrDefault(1) ?? "", out var user) ? (user, false, null)
                    : (null, false, Message(401, "401 Unauthorized"));
            }
        }
        else if (isState && jobToken is not null)
        {
            // lib/api/terraform/state.rb: job_token_allowed: :basic_auth; the JOB-TOKEN header is not looked at there.
            return (null, true, Message(401, "401 Unauthorized"));
        }

        if (jobToken is not null)
        {
            if (!_jobTokens.TryGetValue(jobToken, out var userId))
            {
                return (null, true, Message(401, "401 Unauthorized"));
            }

            // The job-token allowlist (docs.gitlab.com/ci/jobs/ci_job_token/): reads of MRs, notes, raw files, commit MRs, state.
            var allowed = method == "GET" && (path.Contains("/merge_requests", StringComparison.Ordinal)
                || path.EndsWith("/raw", StringComparison.Ordinal) || isState);
            return allowed ? (_userById[userId], true, null) : (null, true, Message(401, "401 Unauthorized"));
        }

        return (null, false, Message(401, "401 Unauthorized"));
    }

    private JsonObject? FindProject(string segment)
    {
        var key = Uri.UnescapeDataString(segment);
        return _projects.FirstOrDefault(p => p["id"]!.ToString() == key || (string?)p["path_with_namespace"] == key);
    }

    private ResponseMessage ListNotes(IRequestMessage request, long projectId, long iid)
    {
        var query = HttpUtility.ParseQueryString(new Uri(request.Url).Query);
        var orderBy = query["order_by"] ?? "created_at";
        IEnumerable<JsonObject> ordered = _notes[(projectId, iid)]
            .OrderBy(n => (string?)n[orderBy == "updated_at" ? "updated_at" : "created_at"], StringComparer.Ordinal)
            .ThenBy(n => (long)n["id"]!);
        if ((query["sort"] ?? "desc") == "desc")
        {
            ordered = ordered.Reverse();
        }

        return Paged(request, ordered.ToList());
    }

    /// <summary>One page of a list with GitLab's offset-paging headers (x-page, x-next-page, x-total unless omitted, Link).</summary>
    private ResponseMessage Paged(IRequestMessage request, IReadOnlyList<JsonObject> all)
    {
        var query = HttpUtility.ParseQueryString(new Uri(request.Url).Query);
        var page = Math.Max(1, int.TryParse(query["page"], CultureInfo.InvariantCulture, out var p) ? p : 1);
        var perPage = int.TryParse(query["per_page"], CultureInfo.InvariantCulture, out var pp) ? Math.Clamp(pp, 1, 100) : 20;
        var totalPages = Math.Max(1, (all.Count + perPage - 1) / perPage);
        var items = all.Skip((page - 1) * perPage).Take(perPage).Select(n => (JsonNode?)n.DeepClone()).ToArray();
        var response = Json(200, new JsonArray(items));
        var baseUrl = $"{Url}{RawPath(request)}";
        string Link(int at)
        {
            var q = HttpUtility.ParseQueryString(new Uri(request.Url).Query);
            q["page"] = at.ToString(CultureInfo.InvariantCulture);
            q["per_page"] = perPage.ToString(CultureInfo.InvariantCulture);
            return baseUrl + "?" + q;
        }

        var links = new List<string>();
        if (page > 1)
        {
            links.Add($"<{Link(page - 1)}>; rel=\"prev\"");
        }

        if (page < totalPages)
        {
            links.Add($"<{Link(page + 1)}>; rel=\"next\"");
        }

        links.Add($"<{Link(1)}>; rel=\"first\"");
        if (!OmitTotals)
        {
            links.Add($"<{Link(totalPages)}>; rel=\"last\"");
            response.AddHeader("x-total", all.Count.ToString(CultureInfo.InvariantCulture));
            response.AddHeader("x-total-pages", totalPages.ToString(CultureInfo.InvariantCulture));
        }

        response.AddHeader("Link", string.Join(", ", links));
        response.AddHeader("x-page", page.ToString(CultureInfo.InvariantCulture));
        response.AddHeader("x-per-page", perPage.ToString(CultureInfo.InvariantCulture));
        response.AddHeader("x-next-page", page < totalPages ? (page + 1).ToString(CultureInfo.InvariantCulture) : "");
        response.AddHeader("x-prev-page", page > 1 ? (page - 1).ToString(CultureInfo.InvariantCulture) : "");
        return response;
    }

    private ResponseMessage CreateNote(IRequestMessage request, long projectId, long iid, JsonObject author)
    {
        if (BodyOf(request) is not { } body)
        {
            return Json(400, new JsonObject { ["error"] = "body is missing" });
        }

        if (body.Length > 1_000_000)
        {
            return Json(400, new JsonObject { ["message"] = new JsonObject { ["note"] = new JsonArray("is too long (maximum is 1000000 characters)") } });
        }

        var note = NewNote(projectId, iid, author, ExecuteQuickActions(body), system: false);
        _notes[(projectId, iid)].Add(note);
        return Json(201, note.DeepClone());
    }

    private ResponseMessage UpdateNote(IRequestMessage request, long projectId, long iid, string id, JsonObject caller)
    {
        var note = _notes[(projectId, iid)].FirstOrDefault(n => n["id"]!.ToString() == id);
        if (note is null)
        {
            return Message(404, "404 Note Not Found");
        }

        if ((long)note["author"]!["id"]! != (long)caller["id"]!)
        {
            return Message(403, "403 Forbidden");
        }

        if (BodyOf(request) is not { } body)
        {
            return Json(400, new JsonObject { ["error"] = "body is missing" });
        }

        if (body.Length > 1_000_000)
        {
            return Json(400, new JsonObject { ["message"] = new JsonObject { ["note"] = new JsonArray("is too long (maximum is 1000000 characters)") } });
        }

        note["body"] = ExecuteQuickActions(body);
        note["updated_at"] = Tick();
        return Json(200, note.DeepClone());
    }

    private static string? BodyOf(IRequestMessage request)
    {
        var contentType = request.Headers?.FirstOrDefault(h =>
            string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault() ?? "";
        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (string?)JsonNode.Parse(request.Body ?? "{}")?["body"];
        }

        return HttpUtility.ParseQueryString(request.Body ?? "")["body"];
    }

    /// <summary>GitLab runs a line that starts with a known /command and removes it from the stored body.</summary>
    private string ExecuteQuickActions(string body)
    {
        var kept = new List<string>();
        var inFence = false;
        foreach (var line in body.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            var command = QuickActionRoute().Match(line);
            if (!inFence && command.Success && QuickActionNames.Contains(command.Groups["name"].Value))
            {
                _quickActions.Add(line.TrimEnd());
                continue;
            }

            kept.Add(line);
        }

        return string.Join('\n', kept);
    }

    private JsonObject NewNote(long projectId, long iid, JsonObject author, string body, bool system)
    {
        var created = Tick();
        return new JsonObject
        {
            ["id"] = ++_nextNoteId,
            ["type"] = null,
            ["body"] = body,
            ["attachment"] = null,
            ["author"] = new JsonObject
            {
                ["id"] = author["id"]!.DeepClone(),
                ["username"] = author["username"]!.DeepClone(),
                ["name"] = author["name"]!.DeepClone(),
                ["state"] = "active",
                ["avatar_url"] = author["avatar_url"]?.DeepClone(),
                ["web_url"] = author["web_url"]?.DeepClone(),
            },
            ["created_at"] = created,
            ["updated_at"] = created,
            ["system"] = system,
            ["noteable_id"] = _mergeRequests[(projectId, iid)]["id"]!.DeepClone(),
            ["noteable_type"] = "MergeRequest",
            ["project_id"] = projectId,
            ["noteable_iid"] = iid,
            ["resolvable"] = false,
            ["confidential"] = false,
            ["internal"] = false,
        };
    }

    private string Tick()
    {
        _clock = _clock.AddSeconds(7);
        return _clock.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    private static string FixturePath(string name)
    {
        foreach (var dir in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(GitLabFake).Assembly.Location)! })
        {
            var candidate = Path.Combine(dir, "Fixtures", "gitlab", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("GitLab fixture not copied to the test output", name);
    }

    private static ResponseMessage Message(int status, string message) => Json(status, new JsonObject { ["message"] = message });

    private static ResponseMessage Json(int status, JsonNode body) => Text(status, body.ToJsonString(), "application/json");

    private static ResponseMessage Text(int status, string body, string? contentType = null)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
        };
        response.AddHeader("Content-Type", contentType ?? (body.StartsWith('{') ? "application/json" : "text/plain"));
        return response;
    }

    [GeneratedRegex("^/projects/(?<project>[^/]+)(?<rest>/.*)?$")]
    private static partial Regex ProjectRoute();

    [GeneratedRegex("^/merge_requests/(?<iid>[0-9]+)(?<tail>/.*)?$")]
    private static partial Regex MergeRequestRoute();

    [GeneratedRegex("^/repository/commits/(?<sha>[0-9a-f]+)/merge_requests$")]
    private static partial Regex CommitMergeRequestsRoute();

    [GeneratedRegex("^/repository/files/(?<path>[^/]+)/raw$")]
    private static partial Regex RawFileRoute();

    [GeneratedRegex("^/terraform/state/(?<name>[^/]+)$")]
    private static partial Regex StateRoute();

    [GeneratedRegex("^\\s{0,3}/(?<name>[a-z_]+)(\\s|$)")]
    private static partial Regex QuickActionRoute();

    private sealed record Fault(HttpStatusCode Status, string Body, string? PathContains, string? RetryAfter, long? ResetEpoch);
}
