using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Nautilus.Testing;

/// <summary>
/// The netbox-branching plugin (netboxlabs/netbox-branching, api/views.py, api/serializers.py, models/changes.py,
/// middleware.py; shapes in Fixtures/netbox-branching): branches whose provisioning takes a few reads, requests scoped
/// by X-NetBox-Branch with copy-on-write over main (one id sequence, so ids survive a merge), ChangeDiff records,
/// sync/ and merge/ answering core Jobs that move pending → running → completed|errored as they are polled, 409 with
/// the conflicts unless acknowledged, and 403 for a user without the action's permission.
/// </summary>
public sealed partial class NetBoxFake
{
    private const string BranchingRoot = "/api/plugins/branching/";
    private const string BranchHeader = "X-NetBox-Branch";

    /// <summary>Models the plugin does not branch (constants.EXEMPT_MODELS): they always live in main.</summary>
    private static readonly HashSet<string> Exempt = new(StringComparer.Ordinal) { "extras/custom-fields", "extras/custom-field-choice-sets" };

    private readonly List<NetBoxFakeBranch> _branches = [];
    private readonly Dictionary<int, FakeJob> _jobs = [];
    private readonly List<JsonObject> _branchEvents = [];
    private readonly Queue<(string Status, string Error)> _jobFailures = new();
    private NetBoxFakeBranch? _scope;
    private int _nextBranchId;
    private int _nextDiffId;
    private int _nextJobId;

    /// <summary>True once <see cref="WithBranching"/> installed the plugin; without it /api/plugins/branching/ is 404 and the header is ignored.</summary>
    public bool BranchingEnabled { get; private set; }

    /// <summary>Reads of a new branch (its detail or a list holding it) before it is ready; int.MaxValue keeps it provisioning.</summary>
    public int ProvisioningPolls { get; set; } = 2;

    /// <summary>Reads of a sync/merge job until it ends (the first read shows it running).</summary>
    public int JobPolls { get; set; } = 2;

    /// <summary>Branch actions the token's user may not take: add, delete, sync, merge, revert, archive (403 as the plugin answers).</summary>
    public HashSet<string> DeniedBranchActions { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<NetBoxFakeBranch> Branches
    {
        get
        {
            lock (_gate)
            {
                return _branches.ToList();
            }
        }
    }

    public NetBoxFake WithBranching()
    {
        BranchingEnabled = true;
        return this;
    }

    /// <summary>The next sync/merge job ends with this status (errored or failed) and error, changing nothing.</summary>
    public NetBoxFake FailNextJob(string error, string status = "errored")
    {
        lock (_gate)
        {
            _jobFailures.Enqueue((status, error));
        }

        return this;
    }

    /// <summary>A branch provisioned from main as it is now, in <paramref name="status"/> (ready unless told).</summary>
    public NetBoxFakeBranch AddBranch(string name, string status = "ready", string description = "")
    {
        lock (_gate)
        {
            var branch = NewBranch(name, description);
            Provision(branch);
            branch.Status = status;
            return branch;
        }
    }

    public NetBoxFakeBranch? Branch(string name)
    {
        lock (_gate)
        {
            return _branches.Find(b => b.Name == name);
        }
    }

    /// <summary>The objects of a collection as the branch sees them.</summary>
    public IReadOnlyList<JsonObject> ViewOfBranch(string branchName, string collection)
    {
        lock (_gate)
        {
            return Require(branchName).View(this, collection).OrderBy(o => (int)o["id"]!).ToList();
        }
    }

    public JsonObject? FindInBranch(string branchName, string collection, int id)
    {
        lock (_gate)
        {
            return Require(branchName).Find(this, collection, id);
        }
    }

    /// <summary>Changes an object in main as a NetBox user would (branches keep seeing the old values until synced).</summary>
    public void EditInMain(string collection, int id, Action<JsonObject> edit)
    {
        lock (_gate)
        {
            _version++;
            var target = FindForWriteIn(null, collection, id) ?? throw new InvalidOperationException($"{collection} {id} is not in main");
            edit(target);
        }
    }

    /// <summary>Changes an object inside a branch (recorded in its ChangeDiff), as a request with X-NetBox-Branch would.</summary>
    public void EditInBranch(string branchName, string collection, int id, Action<JsonObject> edit)
    {
        lock (_gate)
        {
            _version++;
            var target = FindForWriteIn(Require(branchName), collection, id)
                ?? throw new InvalidOperationException($"{collection} {id} is not in branch {branchName}");
            edit(target);
        }
    }

    /// <summary>Requests that carried X-NetBox-Branch with this schema id.</summary>
    public IEnumerable<WireMock.Logging.ILogEntry> RequestsInBranch(string schemaId) =>
        _server.LogEntries.Where(e => HeaderOf(e.RequestMessage, BranchHeader) == schemaId);

    private NetBoxFakeBranch Require(string name) =>
        _branches.Find(b => b.Name == name) ?? throw new InvalidOperationException($"no branch {name}");

    private static bool IsBranchable(string collection) => !Exempt.Contains(collection);

    private static string? HeaderOf(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>The branch a request works in, or a refusal as the plugin's middleware answers (400, text).</summary>
    private NetBoxFakeBranch? BranchOf(IRequestMessage request, out ResponseMessage? refusal)
    {
        refusal = null;
        var schemaId = HeaderOf(request, BranchHeader);
        if (schemaId is null || !BranchingEnabled || request.Path == "/api/status/")
        {
            return null;
        }

        var branch = _branches.Find(b => b.SchemaId == schemaId);
        if (branch is null)
        {
            refusal = Text(400, "Invalid branch identifier");
            return null;
        }

        if (branch.Status != "ready")
        {
            refusal = Text(400, $"Branch {branch.Name} is not ready for use (status: {branch.Status})");
            return null;
        }

        return branch;
    }

    /// <summary>The objects the current request sees: the branch's copy-on-write view, or main.</summary>
    private IEnumerable<JsonObject> View(string collection) =>
        _scope is { } branch && IsBranchable(collection) ? branch.View(this, collection) : _collections[collection];

    /// <summary>The object a request is about to change: copied into the branch on its first change there.</summary>
    private JsonObject? FindForWrite(string collection, int id) => FindForWriteIn(IsBranchable(collection) ? _scope : null, collection, id);

    private JsonObject? FindForWriteIn(NetBoxFakeBranch? branch, string collection, int id)
    {
        if (branch is not null)
        {
            return branch.ForWrite(this, collection, id, Now(), () => ++_nextDiffId);
        }

        var target = FindInMain(collection, id);
        if (target is not null)
        {
            KeepPreImage(collection, id, target);
        }

        return target;
    }

    /// <summary>Adds a new object where the request works; ids come from main's sequence either way.</summary>
    private void Insert(string collection, JsonObject o)
    {
        var id = (int)o["id"]!;
        if (_scope is { } branch && IsBranchable(collection))
        {
            branch.Add(collection, id, o, Now(), ++_nextDiffId);
            _version++;
            return;
        }

        _collections[collection].Add(o);
        if (_index.TryGetValue(collection, out var ids) && ids.Count == _collections[collection].Count - 1)
        {
            ids.ById.TryAdd(id, o);
            _index[collection] = (ids.Count + 1, ids.ById);
        }
    }

    internal List<JsonObject> MainList(string collection) => _collections[collection];

    private bool Remove(string collection, int id)
    {
        if (_scope is { } branch && IsBranchable(collection))
        {
            return branch.Deleted(this, collection, id, Now(), () => ++_nextDiffId);
        }

        var target = FindInMain(collection, id);
        if (target is null)
        {
            return false;
        }

        KeepPreImage(collection, id, target);
        _collections[collection].RemoveAll(o => (int)o["id"]! == id);
        return true;
    }

    /// <summary>Main is about to change an object: every provisioned branch that still shows main's copy keeps the old one.</summary>
    private void KeepPreImage(string collection, int id, JsonObject current)
    {
        if (!IsBranchable(collection))
        {
            return;
        }

        foreach (var branch in _branches.Where(b => b.Provisioned && b.Status is not ("merged" or "archived")))
        {
            branch.KeepPreImage(collection, id, current);
        }
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private void ServeBranching()
    {
        void On(string method, string pattern, Func<IRequestMessage, Match, ResponseMessage> handler)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(pattern)).UsingMethod(method)).AtPriority(5)
                .RespondWith(Response.Create().WithCallback(r => Handle(r, () => BranchingEnabled || pattern.StartsWith("^/api/core/", StringComparison.Ordinal)
                    ? handler(r, regex.Match(r.Path))
                    : Text(404, "<h1>Page not found</h1>"))));
        }

        On("GET", "^/api/plugins/branching/$", (_, _) => Json(200, new JsonObject
        {
            ["branches"] = $"{Url}{BranchingRoot}branches/",
            ["branch-events"] = $"{Url}{BranchingRoot}branch-events/",
            ["changes"] = $"{Url}{BranchingRoot}changes/",
            ["branchable-models"] = $"{Url}{BranchingRoot}branchable-models/",
        }));
        On("GET", "^/api/plugins/branching/branches/$", (r, _) => ListBranches(r));
        On("POST", "^/api/plugins/branching/branches/$", (r, _) => CreateBranch(r));
        On("GET", @"^/api/plugins/branching/branches/(\d+)/$", (_, m) => WithBranch(m, b =>
        {
            Advance(b);
            return Json(200, BranchJson(b));
        }));
        On("PATCH", @"^/api/plugins/branching/branches/(\d+)/$", (r, m) => WithBranch(m, b =>
        {
            var body = JsonNode.Parse(r.Body!)!.AsObject();
            b.Description = (string?)body["description"] ?? b.Description;
            b.LastUpdated = Now();
            return Json(200, BranchJson(b));
        }));
        On("DELETE", @"^/api/plugins/branching/branches/(\d+)/$", (_, m) => WithBranch(m, b =>
        {
            if (DeniedBranchActions.Contains("delete"))
            {
                return Json(403, new JsonObject { ["detail"] = "You do not have permission to perform this action." });
            }

            _branches.Remove(b);
            return new ResponseMessage { StatusCode = 204 };
        }));
        On("POST", @"^/api/plugins/branching/branches/(\d+)/(sync|merge|revert|archive)/$",
            (r, m) => WithBranch(m, b => BranchAction(b, m.Groups[2].Value, r)));
        On("GET", "^/api/plugins/branching/changes/$", (r, _) => ListChanges(r));
        On("GET", @"^/api/plugins/branching/changes/(\d+)/$", (_, m) =>
        {
            var id = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var found = _branches.SelectMany(b => b.Diffs.Select(d => (Branch: b, Diff: d))).FirstOrDefault(x => x.Diff.Id == id);
            return found.Branch is null
                ? Json(404, new JsonObject { ["detail"] = "No ChangeDiff matches the given query." })
                : Json(200, DiffJson(found.Branch, found.Diff));
        });
        On("GET", "^/api/plugins/branching/branch-events/$", (_, _) => Page(_branchEvents.Select(e => (JsonNode)e.DeepClone()).ToList()));
        On("GET", "^/api/plugins/branching/branchable-models/$", (_, _) => Json(200, new JsonArray(
            _collections.Keys.Where(IsBranchable).Order(StringComparer.Ordinal).Select(c => (JsonNode?)new JsonObject
            {
                ["app_label"] = ContentTypeOf(c).Split('.')[0],
                ["model"] = ContentTypeOf(c).Split('.')[1],
                ["verbose_name"] = VerboseName(c),
                ["verbose_name_plural"] = VerboseName(c) + "s",
            }).ToArray())));
        On("GET", @"^/api/core/jobs/(\d+)/$", (_, m) =>
        {
            var id = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!_jobs.TryGetValue(id, out var job))
            {
                return Json(404, new JsonObject { ["detail"] = "No Job matches the given query." });
            }

            AdvanceJob(job);
            return Json(200, JobJson(job));
        });
    }

    private ResponseMessage WithBranch(Match match, Func<NetBoxFakeBranch, ResponseMessage> handler)
    {
        var id = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var branch = _branches.Find(b => b.Id == id);
        return branch is null ? Json(404, new JsonObject { ["detail"] = "No Branch matches the given query." }) : handler(branch);
    }

    private ResponseMessage ListBranches(IRequestMessage request)
    {
        var query = HttpUtility.ParseQueryString(new Uri(request.Url).Query);
        IEnumerable<NetBoxFakeBranch> branches = _branches;
        foreach (var key in query.AllKeys.OfType<string>())
        {
            var values = query.GetValues(key) ?? [];
            branches = key switch
            {
                "name" => branches.Where(b => values.Contains(b.Name)),
                "id" => branches.Where(b => values.Contains(b.Id.ToString(CultureInfo.InvariantCulture))),
                "status" => branches.Where(b => values.Contains(b.Status)),
                "schema_id" => branches.Where(b => values.Contains(b.SchemaId)),
                _ => branches,
            };
        }

        var found = branches.OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
        foreach (var b in found)
        {
            Advance(b);
        }

        return Page(found.Select(b => (JsonNode)BranchJson(b)).ToList());
    }

    private ResponseMessage CreateBranch(IRequestMessage request)
    {
        if (DeniedBranchActions.Contains("add"))
        {
            return Json(403, new JsonObject { ["detail"] = "You do not have permission to perform this action." });
        }

        var body = JsonNode.Parse(request.Body!)!.AsObject();
        var name = (string?)body["name"];
        if (string.IsNullOrWhiteSpace(name))
        {
            return Json(400, new JsonObject { ["name"] = new JsonArray("This field is required.") });
        }

        if (_branches.Exists(b => b.Name == name))
        {
            return Json(400, new JsonObject { ["name"] = new JsonArray("branch with this name already exists.") });
        }

        var branch = NewBranch(name, (string?)body["description"] ?? "");
        return Json(201, BranchJson(branch));
    }

    private NetBoxFakeBranch NewBranch(string name, string description)
    {
        var id = ++_nextBranchId;
        var branch = new NetBoxFakeBranch(id, name, SchemaIdOf(id), description, Now());
        _branches.Add(branch);
        return branch;
    }

    /// <summary>Eight alphanumerics, like Branch._generate_schema_id; derived from the id so runs repeat.</summary>
    private static string SchemaIdOf(int id)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var random = new Random(id * 7919);
        return new string(Enumerable.Range(0, 8).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
    }

    /// <summary>Provisioning runs as a background job: each read moves a new branch on, and it is ready after <see cref="ProvisioningPolls"/> reads.</summary>
    private void Advance(NetBoxFakeBranch branch)
    {
        if (branch.Status is not ("new" or "provisioning"))
        {
            return;
        }

        branch.Reads++;
        if (branch.Reads >= ProvisioningPolls)
        {
            Provision(branch);
            branch.Status = "ready";
            branch.LastUpdated = Now();
        }
        else
        {
            branch.Status = "provisioning";
        }
    }

    /// <summary>The branch's schema is a copy of main as it is now: it sees main's objects of this moment, not later ones.</summary>
    private void Provision(NetBoxFakeBranch branch)
    {
        branch.Rebase(_collections.Where(kv => IsBranchable(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.Select(o => (int)o["id"]!).ToHashSet()));
        _branchEvents.Add(EventJson(branch, "provisioned"));
    }

    private ResponseMessage BranchAction(NetBoxFakeBranch branch, string action, IRequestMessage request)
    {
        if (DeniedBranchActions.Contains(action))
        {
            // views.py raises PermissionDenied with these words; DRF answers 403 {"detail": …}.
            return Json(403, new JsonObject { ["detail"] = $"This user does not have permission to {action} branches." });
        }

        var body = string.IsNullOrWhiteSpace(request.Body) ? new JsonObject() : JsonNode.Parse(request.Body)!.AsObject();
        switch (action)
        {
            case "archive":
                if (branch.Status != "merged")
                {
                    return Text(400, "Only merged branches can be archived.");
                }

                branch.Status = "archived";
                branch.LastUpdated = Now();
                _branchEvents.Add(EventJson(branch, "archived"));
                return Json(200, BranchJson(branch));
            case "revert":
                return branch.Status != "merged" ? Text(400, "Only merged branches can be reverted.") : Text(501, "revert is not faked");
        }

        if (branch.Status != "ready")
        {
            return Text(400, $"Branch is not ready to {action}.");
        }

        var commit = body["commit"] is JsonValue c ? (bool)c : true;
        var acknowledge = body["acknowledge_conflicts"] is JsonValue a && (bool)a;
        var conflicting = branch.Diffs.Where(d => Conflicts(branch, d) is not null).ToList();
        if (conflicting.Count > 0 && !acknowledge)
        {
            return Json(409, new JsonObject
            {
                ["detail"] = "All conflicts must be acknowledged before this action can proceed.",
                ["conflicts"] = new JsonArray(conflicting.Select(d => (JsonNode?)ConflictJson(branch, d)).ToArray()),
            });
        }

        var job = new FakeJob(++_nextJobId, action, branch, commit, Guid.NewGuid().ToString(), Now());
        _jobs[job.Id] = job;
        return Json(200, JobJson(job));
    }

    private void AdvanceJob(FakeJob job)
    {
        if (job.Status is "completed" or "errored" or "failed")
        {
            return;
        }

        job.Polls++;
        if (job.Status == "pending")
        {
            job.Status = "running";
            job.Started = Now();
            job.Branch.Status = job.Action == "merge" ? "merging" : "syncing";
        }

        if (job.Polls < JobPolls)
        {
            return;
        }

        job.Completed = Now();
        if (_jobFailures.TryDequeue(out var failure))
        {
            (job.Status, job.Error) = failure;
            job.Branch.Status = "ready";
            return;
        }

        var error = job.Action == "merge" ? Merge(job.Branch, job.Commit) : Sync(job.Branch, job.Commit);
        job.Status = error is null ? "completed" : "errored";
        job.Error = error ?? "";
    }

    /// <summary>
    /// Replays the branch's net changes into main with their ids: creates, the fields the branch changed on each update
    /// (main's other edits survive, conflicting fields take the branch's value), deletes. An update of an object main
    /// has deleted fails the job as the iterative strategy does (DoesNotExist), leaving main untouched.
    /// </summary>
    private string? Merge(NetBoxFakeBranch branch, bool commit)
    {
        var diffs = branch.Diffs.OrderBy(d => d.Id).ToList();
        if (diffs.Count == 0)
        {
            // Branch.merge: "No changes found; aborting." The job completes and the branch stays ready.
            branch.Status = "ready";
            return null;
        }

        foreach (var d in diffs.Where(d => d.Action == "update"))
        {
            if (FindInMain(d.Collection, d.ObjectId) is null)
            {
                branch.Status = "ready";
                var model = VerboseName(d.Collection).Replace(" ", "", StringComparison.Ordinal)
                    .Replace("virtualmachine", "VirtualMachine", StringComparison.Ordinal);
                return $"DoesNotExist('{model} matching query does not exist.')";
            }
        }

        if (!commit)
        {
            branch.Status = "ready";
            return null;
        }

        _version++;
        branch.FreezeConflicts(d => Conflicts(branch, d));
        foreach (var d in diffs)
        {
            var inBranch = branch.Find(this, d.Collection, d.ObjectId);
            switch (d.Action)
            {
                case "create":
                    _collections[d.Collection].Add(inBranch!.DeepClone().AsObject());
                    break;
                case "update":
                    var target = FindInMain(d.Collection, d.ObjectId)!;
                    foreach (var (key, value) in inBranch!)
                    {
                        if (!JsonNode.DeepEquals(value, d.OriginalObject?[key]))
                        {
                            target[key] = value?.DeepClone();
                        }
                    }

                    break;
                case "delete":
                    _collections[d.Collection].RemoveAll(o => (int)o["id"]! == d.ObjectId);
                    break;
            }
        }

        branch.Status = "merged";
        branch.MergedTime = Now();
        branch.LastUpdated = branch.MergedTime;
        _branchEvents.Add(EventJson(branch, "merged"));
        return null;
    }

    /// <summary>Pulls main's changes into the branch: main's value for every field main changed (an acknowledged sync keeps main's values).</summary>
    private string? Sync(NetBoxFakeBranch branch, bool commit)
    {
        branch.Status = "ready";
        if (!commit)
        {
            return null;
        }

        foreach (var d in branch.Diffs.Where(d => d.Action == "update"))
        {
            var main = FindInMain(d.Collection, d.ObjectId);
            var inBranch = branch.Find(this, d.Collection, d.ObjectId);
            if (main is null || inBranch is null)
            {
                continue;
            }

            foreach (var (key, value) in main)
            {
                if (!JsonNode.DeepEquals(value, d.OriginalObject?[key]))
                {
                    inBranch[key] = value?.DeepClone();
                }
            }
        }

        branch.Rebase(_collections.Where(kv => IsBranchable(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.Select(o => (int)o["id"]!).ToHashSet()));
        branch.LastSync = Now();
        _branchEvents.Add(EventJson(branch, "synced"));
        return null;
    }

    private ResponseMessage ListChanges(IRequestMessage request)
    {
        var query = HttpUtility.ParseQueryString(new Uri(request.Url).Query);
        IEnumerable<(NetBoxFakeBranch Branch, NetBoxFakeBranch.Diff Diff)> diffs = _branches.SelectMany(b => b.Diffs.Select(d => (b, d)));
        if (query.GetValues("branch_id") is { } ids)
        {
            diffs = diffs.Where(x => ids.Contains(x.Branch.Id.ToString(CultureInfo.InvariantCulture)));
        }

        if (query.GetValues("branch") is { } schemaIds)
        {
            diffs = diffs.Where(x => schemaIds.Contains(x.Branch.SchemaId));
        }

        if (query["has_conflicts"] is { } has)
        {
            diffs = diffs.Where(x => (Conflicts(x.Branch, x.Diff) is not null) == (has == "true"));
        }

        // ChangeDiff.Meta.ordering = ('-last_updated',)
        return Page(diffs.OrderByDescending(x => x.Diff.LastUpdated, StringComparer.Ordinal).ThenByDescending(x => x.Diff.Id)
            .Select(x => (JsonNode)DiffJson(x.Branch, x.Diff)).ToList());
    }

    private ResponseMessage Page(IReadOnlyList<JsonNode> items) =>
        Json(200, new JsonObject { ["count"] = items.Count, ["next"] = null, ["previous"] = null, ["results"] = new JsonArray(items.ToArray()) });

    /// <summary>ChangeDiff data is NetBox's change-log serialisation (serialize_object): related objects as ids, choices as values, tags as names.</summary>
    internal static JsonObject? ChangeData(JsonObject? rest)
    {
        if (rest is null)
        {
            return null;
        }

        var data = new JsonObject();
        foreach (var (key, value) in rest)
        {
            if (key is "id" or "url" or "display" or "display_url" or "created" or "last_updated")
            {
                continue;
            }

            data[key] = value switch
            {
                JsonArray tags when key == "tags" =>
                    new JsonArray(tags.Select(t => (string?)t?["name"]).Order(StringComparer.Ordinal).Select(n => (JsonNode?)n).ToArray()),
                JsonObject choice when choice.ContainsKey("value") && choice.ContainsKey("label") => choice["value"]?.DeepClone(),
                JsonObject nested when nested["id"] is { } id => id.DeepClone(),
                _ => value?.DeepClone(),
            };
        }

        return data;
    }

    private (JsonObject? Original, JsonObject? Modified, JsonObject? Current) Snapshots(NetBoxFakeBranch branch, NetBoxFakeBranch.Diff diff)
    {
        var modified = diff.Action == "delete" ? null : ChangeData(branch.Find(this, diff.Collection, diff.ObjectId));
        var current = ChangeData(FindInMain(diff.Collection, diff.ObjectId));
        if (diff.Action == "create")
        {
            current = null;
        }

        return (ChangeData(diff.OriginalObject), modified, current);
    }

    /// <summary>ChangeDiff._update_conflicts, field for field.</summary>
    private List<string>? Conflicts(NetBoxFakeBranch branch, NetBoxFakeBranch.Diff diff)
    {
        if (branch.Status is "merged" or "archived")
        {
            return diff.ConflictsAtMerge;
        }

        var (original, modified, current) = Snapshots(branch, diff);
        if (original is null)
        {
            return null;
        }

        List<string> conflicts;
        if (diff.Action == "update")
        {
            conflicts = current is null
                ? original.Where(kv => !JsonNode.DeepEquals(kv.Value, modified?[kv.Key])).Select(kv => kv.Key).ToList()
                : original.Where(kv => !JsonNode.DeepEquals(kv.Value, modified?[kv.Key])
                                       && !JsonNode.DeepEquals(kv.Value, current[kv.Key])
                                       && !JsonNode.DeepEquals(modified?[kv.Key], current[kv.Key])).Select(kv => kv.Key).ToList();
        }
        else if (diff.Action == "delete")
        {
            if (current is null)
            {
                return null;
            }

            conflicts = original.Where(kv => !JsonNode.DeepEquals(kv.Value, current[kv.Key])).Select(kv => kv.Key).ToList();
        }
        else
        {
            return null;
        }

        return conflicts.Count > 0 ? conflicts : null;
    }

    private JsonObject DiffJson(NetBoxFakeBranch branch, NetBoxFakeBranch.Diff diff)
    {
        var (original, modified, current) = Snapshots(branch, diff);
        var alteredInBranch = original is null
            || modified is null ? []
            : modified.Where(kv => original.ContainsKey(kv.Key) && !JsonNode.DeepEquals(kv.Value, original[kv.Key])).Select(kv => kv.Key);
        var alteredInMain = original is null
            || current is null ? []
            : current.Where(kv => original.ContainsKey(kv.Key) && !JsonNode.DeepEquals(kv.Value, original[kv.Key])).Select(kv => kv.Key);
        var altered = alteredInBranch.Concat(alteredInMain).ToHashSet(StringComparer.Ordinal);
        JsonObject Only(JsonObject? data) =>
            data is null ? [] : new JsonObject(data.Where(kv => altered.Contains(kv.Key)).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
        var conflicts = Conflicts(branch, diff);
        var live = branch.Find(this, diff.Collection, diff.ObjectId) ?? FindInMain(diff.Collection, diff.ObjectId);
        return new JsonObject
        {
            ["id"] = diff.Id,
            ["url"] = $"{Url}{BranchingRoot}changes/{diff.Id}/",
            ["display"] = $"{ActionLabel(diff.Action)} {VerboseName(diff.Collection)} {diff.ObjectRepr} ({diff.ObjectId})",
            ["branch"] = BranchBrief(branch),
            ["object_type"] = ContentTypeOf(diff.Collection),
            ["object_id"] = diff.ObjectId,
            ["object"] = live is null
                ? diff.ObjectRepr
                : new JsonObject { ["id"] = diff.ObjectId, ["url"] = live["url"]?.DeepClone(), ["display"] = live["display"]?.DeepClone(),
                    ["name"] = live["name"]?.DeepClone() },
            ["object_repr"] = diff.ObjectRepr,
            ["action"] = new JsonObject { ["value"] = diff.Action, ["label"] = ActionLabel(diff.Action) },
            ["conflicts"] = conflicts is null ? null : new JsonArray(conflicts.Select(c => (JsonNode?)c).ToArray()),
            ["diff"] = new JsonObject { ["original"] = Only(original), ["modified"] = Only(modified), ["current"] = Only(current) },
            ["original_data"] = original,
            ["modified_data"] = modified,
            ["current_data"] = current,
            ["last_updated"] = diff.LastUpdated,
        };
    }

    /// <summary>ConflictSummarySerializer: the three-way values of the conflicting fields only.</summary>
    private JsonObject ConflictJson(NetBoxFakeBranch branch, NetBoxFakeBranch.Diff diff)
    {
        var (original, modified, current) = Snapshots(branch, diff);
        var conflicts = Conflicts(branch, diff) ?? [];
        JsonObject Only(JsonObject? data) =>
            data is null ? [] : new JsonObject(data.Where(kv => conflicts.Contains(kv.Key)).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
        return new JsonObject
        {
            ["id"] = diff.Id,
            ["object_type"] = ContentTypeOf(diff.Collection),
            ["object_id"] = diff.ObjectId,
            ["object_repr"] = diff.ObjectRepr,
            ["action"] = new JsonObject { ["value"] = diff.Action, ["label"] = ActionLabel(diff.Action) },
            ["conflicts"] = new JsonArray(conflicts.Select(c => (JsonNode?)c).ToArray()),
            ["conflicting_data"] = new JsonObject { ["original"] = Only(original), ["branch"] = Only(modified), ["main"] = Only(current) },
            ["last_updated"] = diff.LastUpdated,
        };
    }

    private JsonObject Owner() => new() { ["id"] = 1, ["url"] = $"{Url}/api/users/users/1/", ["display"] = "nautilus", ["username"] = "nautilus" };

    private JsonObject BranchJson(NetBoxFakeBranch b) => new()
    {
        ["id"] = b.Id,
        ["url"] = $"{Url}{BranchingRoot}branches/{b.Id}/",
        ["display"] = b.Name,
        ["name"] = b.Name,
        ["status"] = new JsonObject { ["value"] = b.Status, ["label"] = StatusLabel(b.Status) },
        ["owner"] = Owner(),
        ["description"] = b.Description,
        ["schema_id"] = b.SchemaId,
        ["last_sync"] = b.LastSync,
        ["merged_time"] = b.MergedTime,
        ["merged_by"] = b.MergedTime is null ? null : Owner(),
        ["comments"] = "",
        ["tags"] = new JsonArray(),
        ["custom_fields"] = new JsonObject(),
        ["created"] = b.Created,
        ["last_updated"] = b.LastUpdated,
    };

    private JsonObject BranchBrief(NetBoxFakeBranch b) => new()
    {
        ["id"] = b.Id,
        ["url"] = $"{Url}{BranchingRoot}branches/{b.Id}/",
        ["display"] = b.Name,
        ["name"] = b.Name,
        ["status"] = new JsonObject { ["value"] = b.Status, ["label"] = StatusLabel(b.Status) },
        ["description"] = b.Description,
    };

    private JsonObject EventJson(NetBoxFakeBranch b, string type) => new()
    {
        ["id"] = _branchEvents.Count + 1,
        ["url"] = $"{Url}{BranchingRoot}branch-events/{_branchEvents.Count + 1}/",
        ["display"] = $"{b.Name} {type}",
        ["time"] = Now(),
        ["branch"] = BranchBrief(b),
        ["user"] = Owner(),
        ["type"] = new JsonObject { ["value"] = type, ["label"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(type) },
    };

    private JsonObject JobJson(FakeJob job) => new()
    {
        ["id"] = job.Id,
        ["url"] = $"{Url}/api/core/jobs/{job.Id}/",
        ["display_url"] = $"{Url}/core/jobs/{job.Id}/",
        ["display"] = job.JobId,
        ["object_type"] = "netbox_branching.branch",
        ["object_id"] = job.Branch.Id,
        ["name"] = job.Action == "merge" ? "Merge branch" : "Sync branch",
        ["status"] = new JsonObject { ["value"] = job.Status, ["label"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(job.Status) },
        ["created"] = job.Created,
        ["scheduled"] = null,
        ["interval"] = null,
        ["started"] = job.Started,
        ["completed"] = job.Completed,
        ["user"] = Owner(),
        ["data"] = null,
        ["error"] = job.Error,
        ["job_id"] = job.JobId,
    };

    private static string StatusLabel(string status) => status switch
    {
        "pending-migrations" => "Pending Migrations",
        _ => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(status),
    };

    private static string ActionLabel(string action) => action switch
    {
        "create" => "Created",
        "update" => "Updated",
        "delete" => "Deleted",
        _ => action,
    };

    internal static string ContentTypeOf(string collection) => collection switch
    {
        "virtualization/virtual-machines" => "virtualization.virtualmachine",
        "virtualization/interfaces" => "virtualization.vminterface",
        "virtualization/clusters" => "virtualization.cluster",
        "dcim/devices" => "dcim.device",
        "dcim/interfaces" => "dcim.interface",
        "dcim/device-roles" => "dcim.devicerole",
        "dcim/sites" => "dcim.site",
        "extras/tags" => "extras.tag",
        "extras/journal-entries" => "extras.journalentry",
        "ipam/ip-addresses" => "ipam.ipaddress",
        _ => collection.Replace('/', '.').Replace("-", "", StringComparison.Ordinal).TrimEnd('s'),
    };

    private static string VerboseName(string collection) => collection switch
    {
        "virtualization/virtual-machines" => "virtual machine",
        "virtualization/interfaces" => "interface",
        "dcim/devices" => "device",
        "dcim/interfaces" => "interface",
        "extras/tags" => "tag",
        "extras/journal-entries" => "journal entry",
        "ipam/ip-addresses" => "IP address",
        _ => collection.Split('/')[^1].TrimEnd('s').Replace('-', ' '),
    };

    private sealed class FakeJob(int id, string action, NetBoxFakeBranch branch, bool commit, string jobId, string created)
    {
        public int Id { get; } = id;
        public string Action { get; } = action;
        public NetBoxFakeBranch Branch { get; } = branch;
        public bool Commit { get; } = commit;
        public string JobId { get; } = jobId;
        public string Created { get; } = created;
        public string Status { get; set; } = "pending";
        public string? Started { get; set; }
        public string? Completed { get; set; }
        public string Error { get; set; } = "";
        public int Polls { get; set; }
    }
}

/// <summary>
/// A branch of the fake: its own copies of the objects it changed (and of main's objects main changed since it was
/// provisioned), the ids of main's objects it can see, and one ChangeDiff per object it changed.
/// </summary>
public sealed class NetBoxFakeBranch(int id, string name, string schemaId, string description, string created)
{
    public int Id { get; } = id;
    public string Name { get; } = name;
    public string SchemaId { get; } = schemaId;
    public string Description { get; set; } = description;
    public string Status { get; set; } = "new";
    public string Created { get; } = created;
    public string LastUpdated { get; set; } = created;
    public string? LastSync { get; set; }
    public string? MergedTime { get; set; }

    internal int Reads { get; set; }

    internal bool Provisioned { get; private set; }

    /// <summary>Per collection, per id: the branch's own copy (null: deleted in the branch).</summary>
    private readonly Dictionary<string, Dictionary<int, JsonObject?>> _copies = new(StringComparer.Ordinal);

    /// <summary>Main's ids at provisioning (or the last sync): objects main created later stay out of the branch.</summary>
    private Dictionary<string, HashSet<int>> _visible = new(StringComparer.Ordinal);

    private readonly List<Diff> _diffs = [];

    internal IReadOnlyList<Diff> Diffs => _diffs;

    internal void Rebase(Dictionary<string, HashSet<int>> visible)
    {
        Provisioned = true;
        _visible = visible;

        // Copies kept only because main changed meanwhile are dropped: the branch sees main's current objects again.
        foreach (var (collection, copies) in _copies)
        {
            foreach (var id in copies.Keys.Where(id => !_diffs.Exists(d => d.Collection == collection && d.ObjectId == id)).ToList())
            {
                copies.Remove(id);
            }
        }
    }

    internal IEnumerable<JsonObject> View(NetBoxFake fake, string collection)
    {
        _copies.TryGetValue(collection, out var copies);
        _visible.TryGetValue(collection, out var visible);
        foreach (var o in fake.MainList(collection))
        {
            var id = (int)o["id"]!;
            if (copies?.ContainsKey(id) != true && visible?.Contains(id) == true)
            {
                yield return o;
            }
        }

        foreach (var copy in copies?.Values ?? Enumerable.Empty<JsonObject?>())
        {
            if (copy is not null)
            {
                yield return copy;
            }
        }
    }

    internal JsonObject? Find(NetBoxFake fake, string collection, int id)
    {
        if (_copies.TryGetValue(collection, out var copies) && copies.TryGetValue(id, out var copy))
        {
            return copy;
        }

        return _visible.TryGetValue(collection, out var visible) && visible.Contains(id) ? fake.MainList(collection).Find(o => (int)o["id"]! == id) : null;
    }

    internal JsonObject? ForWrite(NetBoxFake fake, string collection, int id, string now, Func<int> nextDiffId)
    {
        var current = Find(fake, collection, id);
        if (current is null)
        {
            return null;
        }

        var copies = CopiesOf(collection);
        if (!copies.TryGetValue(id, out var copy) || copy is null)
        {
            copy = current.DeepClone().AsObject();
            copies[id] = copy;
        }

        var diff = _diffs.Find(d => d.Collection == collection && d.ObjectId == id);
        if (diff is null)
        {
            diff = new Diff(nextDiffId(), collection, id, "update", current.DeepClone().AsObject());
            _diffs.Add(diff);
        }

        diff.ObjectRepr = (string?)copy["name"] ?? (string?)copy["display"] ?? id.ToString(CultureInfo.InvariantCulture);
        diff.LastUpdated = now;
        return copy;
    }

    internal void Add(string collection, int id, JsonObject o, string now, int diffId)
    {
        CopiesOf(collection)[id] = o;
        _diffs.Add(new Diff(diffId, collection, id, "create", null) { ObjectRepr = (string?)o["name"] ?? (string?)o["display"] ?? "", LastUpdated = now });
    }

    internal bool Deleted(NetBoxFake fake, string collection, int id, string now, Func<int> nextDiffId)
    {
        var current = Find(fake, collection, id);
        if (current is null)
        {
            return false;
        }

        var diff = _diffs.Find(d => d.Collection == collection && d.ObjectId == id);
        if (diff?.Action == "create")
        {
            // Created and deleted in the branch: no net change.
            _diffs.Remove(diff);
            CopiesOf(collection).Remove(id);
            return true;
        }

        if (diff is null)
        {
            diff = new Diff(nextDiffId(), collection, id, "delete", current.DeepClone().AsObject());
            _diffs.Add(diff);
        }

        diff.Action = "delete";
        diff.ObjectRepr = (string?)current["name"] ?? (string?)current["display"] ?? id.ToString(CultureInfo.InvariantCulture);
        diff.LastUpdated = now;
        CopiesOf(collection)[id] = null;
        return true;
    }

    /// <summary>Main is about to change an object this branch still sees as main's: the branch keeps the old one.</summary>
    internal void KeepPreImage(string collection, int id, JsonObject current)
    {
        if (_visible.TryGetValue(collection, out var visible) && visible.Contains(id) && !CopiesOf(collection).ContainsKey(id))
        {
            CopiesOf(collection)[id] = current.DeepClone().AsObject();
        }
    }

    /// <summary>Conflicts are frozen at merge: the plugin no longer recomputes them for a merged branch.</summary>
    internal void FreezeConflicts(Func<Diff, List<string>?> conflicts)
    {
        foreach (var d in _diffs)
        {
            d.ConflictsAtMerge = conflicts(d);
        }
    }

    private Dictionary<int, JsonObject?> CopiesOf(string collection)
    {
        if (!_copies.TryGetValue(collection, out var copies))
        {
            _copies[collection] = copies = [];
        }

        return copies;
    }

    internal sealed class Diff(int id, string collection, int objectId, string action, JsonObject? originalObject)
    {
        public int Id { get; } = id;
        public string Collection { get; } = collection;
        public int ObjectId { get; } = objectId;
        public string Action { get; set; } = action;

        /// <summary>The object as the branch saw it before its first change (REST form); null when created in the branch.</summary>
        public JsonObject? OriginalObject { get; } = originalObject;
        public string ObjectRepr { get; set; } = "";
        public string LastUpdated { get; set; } = "";
        public List<string>? ConflictsAtMerge { get; set; }
    }
}
