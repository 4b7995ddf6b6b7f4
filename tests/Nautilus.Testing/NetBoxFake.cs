using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Nautilus.Testing;

/// <summary>
/// A NetBox 4.x on WireMock: list endpoints with tag/status/name/slug filters, MAX_PAGE_SIZE clamping,
/// offset paging with `next` links, bulk PATCH, tag/custom-field/journal/IP creation, 400 on an unknown tag
/// slug (NetBox #5129), and injectable faults. Objects are JSON as NetBox returns them (see Fixtures/netbox).
/// With <see cref="WithBranching"/> it also speaks the netbox-branching plugin (NetBoxFake.Branching.cs).
/// </summary>
public sealed partial class NetBoxFake : IDisposable
{
    private readonly WireMockServer _server;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly Lock _gate = new();
    private int _nextId = 100_000;

    public NetBoxFake(string apiVersion = "4.6")
    {
        ApiVersion = apiVersion;
        _server = WireMockServer.Start();
        foreach (var collection in _collections.Keys.ToList())
        {
            Serve(collection);
        }

        // nb_inventory asks /api/status without the slash, then the OpenAPI document for the filter names it may send.
        _server.Given(Request.Create().WithPath("/api/status/", "/api/status").UsingGet()).AtPriority(10)
            .RespondWith(Response.Create()
                .WithCallback(r => Handle(r, () => Json(200, new JsonObject { ["netbox-version"] = ApiVersion + ".8", ["python-version"] = "3.12.3" }))));
        _server.Given(Request.Create().WithPath("/api/schema/").UsingGet()).AtPriority(10)
            .RespondWith(Response.Create().WithCallback(r => Handle(r, () => Json(200, Schema()))));

        // Any other list NetBox has (regions, racks, interfaces, …) answers an empty page, as an empty NetBox does.
        // Plugin API roots are not lists: /api/plugins/branching/ answers only when the plugin is installed.
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/api/(?!plugins/)[a-z-]+/[a-z-]+/$")).UsingGet()).AtPriority(1000)
            .RespondWith(Response.Create()
                .WithCallback(r => Handle(r,
                () => Json(200, new JsonObject { ["count"] = 0, ["next"] = null, ["previous"] = null, ["results"] = new JsonArray() }))));
        ServeBranching();
    }

    /// <summary>Serves list, create and bulk-update for a collection ("dcim/interfaces"), creating it when new.</summary>
    public NetBoxFake Serve(string collection)
    {
        _collections.TryAdd(collection, []);
        var path = "/api/" + collection + "/";
        _server.Given(Request.Create().WithPath(path).UsingGet()).AtPriority(10)
            .RespondWith(Response.Create().WithCallback(r => Handle(r, () => List(collection, r))));
        _server.Given(Request.Create().WithPath(path).UsingPost()).AtPriority(10)
            .RespondWith(Response.Create().WithCallback(r => Handle(r, () => Create(collection, r))));
        _server.Given(Request.Create().WithPath(path).UsingPatch()).AtPriority(10)
            .RespondWith(Response.Create().WithCallback(r => Handle(r, () => BulkPatch(collection, r))));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^" + System.Text.RegularExpressions.Regex.Escape(path) + @"\d+/$"))
            .UsingPatch()).AtPriority(10)
            .RespondWith(Response.Create().WithCallback(r => Handle(r, () => DetailPatch(collection, r))));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^" + System.Text.RegularExpressions.Regex.Escape(path) + @"\d+/$"))
            .UsingDelete()).AtPriority(10)
            .RespondWith(Response.Create().WithCallback(r => Handle(r, () => DetailDelete(collection, r))));
        return this;
    }

    /// <summary>The part of NetBox's OpenAPI document clients read: the filters of the device and VM lists.</summary>
    private JsonObject Schema()
    {
        static JsonObject Get(params string[] names) => new()
        {
            ["get"] = new JsonObject { ["parameters"] = new JsonArray(names.Select(n =>
                (JsonNode)new JsonObject { ["name"] = n, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }).ToArray()) },
        };
        string[] common = ["id", "name", "status", "tag", "tag__n", "site", "site_id", "role", "role_id", "platform", "tenant", "cluster", "cluster_id", "q",
            "limit", "offset", "ordering", "fields", "exclude"];
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "NetBox REST API", ["version"] = ApiVersion },
            ["paths"] = new JsonObject
            {
                ["/api/dcim/devices/"] = Get([.. common, "device_type", "rack_id", "serial"]),
                ["/api/virtualization/virtual-machines/"] = Get([.. common, "vcpus", "memory", "disk"]),
            },
        };
    }

    /// <summary>
    /// The collections this fake serves, keyed by API path. Reading it counts as a possible write (callers may
    /// change the objects in place), so cached serialisations are dropped.
    /// </summary>
    public Dictionary<string, List<JsonObject>> Collections
    {
        get
        {
            Interlocked.Increment(ref _version);
            return _collections;
        }
    }

    private readonly Dictionary<string, List<JsonObject>> _collections = new(StringComparer.Ordinal)
    {
        ["virtualization/virtual-machines"] = [],
        ["dcim/devices"] = [],
        ["extras/tags"] = [],
        ["extras/custom-fields"] = [],
        ["extras/custom-field-choice-sets"] = [],
        ["extras/journal-entries"] = [],
        ["ipam/ip-addresses"] = [],
        ["virtualization/interfaces"] = [],
        ["dcim/interfaces"] = [],
        ["dcim/device-roles"] = [],
        ["dcim/sites"] = [],
        ["virtualization/clusters"] = [],
    };

    public string Url => _server.Url!;

    public string ApiVersion { get; }

    /// <summary>NetBox's MAX_PAGE_SIZE: larger limits are clamped, limit=0 means this many (not "all").</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Added to every answer (the read benchmark uses 10 ms).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When set, Authorization must equal it exactly, else 403 as NetBox answers.</summary>
    public string? RequiredAuthorization { get; set; }

    public IReadOnlyList<WireMock.Logging.ILogEntry> Requests => _server.LogEntries.ToList();

    public int RequestCount => _server.LogEntries.Count();

    public List<JsonObject> VirtualMachines => Collections["virtualization/virtual-machines"];

    public List<JsonObject> Devices => Collections["dcim/devices"];

    public List<JsonObject> Tags => Collections["extras/tags"];

    public List<JsonObject> JournalEntries => Collections["extras/journal-entries"];

    public List<JsonObject> IpAddresses => Collections["ipam/ip-addresses"];

    public List<JsonObject> VmInterfaces => Collections["virtualization/interfaces"];

    /// <summary>A VM as NetBox 4.6 returns it, tagged by tag names that must exist (see <see cref="AddTag"/>).</summary>
    public JsonObject AddVirtualMachine(int id, string name, string status = "planned", IEnumerable<string>? tags = null, JsonObject? customFields = null,
        decimal? vcpus = null, long? memory = null, long? disk = null)
    {
        tags = tags?.ToList() ?? [];
        foreach (var tag in tags)
        {
            AddTag(tag);
        }

        var vm = new JsonObject
        {
            ["id"] = id,
            ["url"] = $"{Url}/api/virtualization/virtual-machines/{id}/",
            ["display"] = name,
            ["name"] = name,
            ["status"] = new JsonObject { ["value"] = status, ["label"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(status) },
            ["role"] = null,
            ["site"] = null,
            ["cluster"] = new JsonObject { ["id"] = 3, ["name"] = "vsphere-prod-a" },
            ["primary_ip4"] = null,
            ["primary_ip6"] = null,
            ["vcpus"] = vcpus,
            ["memory"] = memory,
            ["disk"] = disk,
            ["tags"] = new JsonArray((tags ?? []).Select(t => (JsonNode?)ResolveTag(new JsonObject { ["name"] = t })).ToArray()),
            ["custom_fields"] = customFields ?? new JsonObject(),
        };
        lock (_gate)
        {
            VirtualMachines.Add(vm);
        }

        return vm;
    }

    /// <summary>A tag with the slug Nautilus gives it (':' → '-').</summary>
    public JsonObject AddTag(string name)
    {
        lock (_gate)
        {
            if (Tags.FirstOrDefault(t => (string?)t["name"] == name) is { } existing)
            {
                return existing;
            }

            var id = ++_nextId;
            var tag = new JsonObject { ["id"] = id, ["url"] = $"{Url}/api/extras/tags/{id}/", ["display"] = name, ["name"] = name,
                ["slug"] = name.Replace(':', '-'), ["color"] = "9e9e9e" };
            Tags.Add(tag);
            return tag;
        }
    }

    /// <summary>Loads an export file's objects (as written by nautilus netbox export).</summary>
    public NetBoxFake WithExport(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Add("virtualization/virtual-machines", root["virtual_machines"]!.AsArray());
        Add("dcim/devices", root["devices"]!.AsArray());
        Add("extras/tags", root["tags"]!.AsArray());
        return this;
    }

    /// <summary>
    /// Serves the lists nb_inventory resolves relations through (sites, device roles, platforms, tenants, clusters,
    /// device types, manufacturers), built from the nested objects the loaded VMs and devices point at: nb_inventory
    /// names role_/site_/platform_ groups by the slug it finds there by id (nb_inventory.py refresh_*_lookup).
    /// </summary>
    public NetBoxFake WithRelatedObjects()
    {
        var related = new SortedDictionary<string, SortedDictionary<int, JsonObject>>(StringComparer.Ordinal);
        void Collect(string collection, JsonNode? nested, params string[] extra)
        {
            if (nested is not JsonObject o || o["id"] is null)
            {
                return;
            }

            if (!related.TryGetValue(collection, out var byId))
            {
                related[collection] = byId = [];
            }

            var id = (int)o["id"]!;
            var item = new JsonObject
            {
                ["id"] = id,
                ["url"] = $"{Url}/api/{collection}/{id}/",
                ["display"] = (o["display"] ?? o["name"] ?? o["model"])?.DeepClone(),
                ["name"] = (o["name"] ?? o["model"])?.DeepClone(),
                ["description"] = o["description"]?.DeepClone() ?? "",
            };

            // Clusters have no slug in NetBox (the model has none, so its filterset ignores ?slug=).
            if (collection != "virtualization/clusters")
            {
                item["slug"] = o["slug"]?.DeepClone();
            }

            foreach (var key in extra)
            {
                item[key] = o[key]?.DeepClone();
            }

            // The rest of NetBox 4.x's shape for that model (nb_inventory reads e.g. a site's prefix_count).
            foreach (var (key, value) in RelatedDefaults(collection))
            {
                item[key] ??= value?.DeepClone();
            }

            byId.TryAdd(id, item);
        }

        lock (_gate)
        {
            foreach (var o in VirtualMachines.Concat(Devices))
            {
                Collect("dcim/sites", o["site"]);
                Collect("dcim/device-roles", o["role"] ?? o["device_role"]);
                Collect("dcim/platforms", o["platform"]);
                Collect("tenancy/tenants", o["tenant"]);
                Collect("virtualization/clusters", o["cluster"], "type", "group");
                Collect("dcim/device-types", o["device_type"], "model", "manufacturer");
                Collect("dcim/manufacturers", o["device_type"]?["manufacturer"]);
            }
        }

        foreach (var (collection, byId) in related)
        {
            Serve(collection);
            Add(collection, byId.Values);
        }

        return this;
    }

    private static JsonObject RelatedDefaults(string collection)
    {
        var common = new JsonObject { ["tags"] = new JsonArray(), ["custom_fields"] = new JsonObject(), ["created"] = "2026-10-01T09:00:00.000000Z",
            ["last_updated"] = "2026-11-20T14:30:00.000000Z" };
        var specific = collection switch
        {
            "dcim/sites" => new JsonObject
            {
                ["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" }, ["region"] = null, ["group"] = null, ["tenant"] = null,
                ["facility"] = "", ["time_zone"] = null, ["physical_address"] = "", ["shipping_address"] = "", ["latitude"] = null, ["longitude"] = null,
                ["comments"] = "", ["asns"] = new JsonArray(), ["circuit_count"] = 0, ["device_count"] = 0, ["prefix_count"] = 0, ["rack_count"] = 0,
                ["virtualmachine_count"] = 0, ["vlan_count"] = 0,
            },
            "dcim/device-roles" => new JsonObject { ["color"] = "9e9e9e", ["vm_role"] = true, ["config_template"] = null, ["device_count"] = 0,
                ["virtualmachine_count"] = 0 },
            "dcim/platforms" => new JsonObject { ["manufacturer"] = null, ["config_template"] = null, ["device_count"] = 0, ["virtualmachine_count"] = 0 },
            "tenancy/tenants" => new JsonObject { ["group"] = null, ["comments"] = "" },
            "virtualization/clusters" => new JsonObject
            {
                ["type"] = new JsonObject { ["id"] = 1, ["name"] = "VMware vSphere", ["slug"] = "vmware-vsphere", ["display"] = "VMware vSphere" },
                ["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" }, ["tenant"] = null, ["scope_type"] = null, ["scope_id"] = null,
                ["scope"] = null, ["comments"] = "", ["device_count"] = 0, ["virtualmachine_count"] = 0,
            },
            "dcim/device-types" => new JsonObject { ["part_number"] = "", ["u_height"] = 1.0, ["is_full_depth"] = true, ["comments"] = "",
                ["device_count"] = 0 },
            _ => new JsonObject(),
        };
        foreach (var (key, value) in common)
        {
            specific[key] = value?.DeepClone();
        }

        return specific;
    }

    public NetBoxFake Add(string collection, IEnumerable<JsonNode?> objects)
    {
        lock (_gate)
        {
            _version++;
            foreach (var o in objects)
            {
                _collections[collection].Add(o!.DeepClone().AsObject());
            }
        }

        return this;
    }

    /// <summary>The next <paramref name="times"/> requests (matching <paramref name="pathContains"/> when given) get this answer.</summary>
    public NetBoxFake FailNext(int times, HttpStatusCode status, string body = "", string? pathContains = null, TimeSpan? delay = null,
        string? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
        {
            _faults.Enqueue(new Fault(status, body, pathContains, delay, retryAfter));
        }

        return this;
    }

    public IEnumerable<WireMock.Logging.ILogEntry> RequestsTo(string method, string pathContains) =>
        _server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path.Contains(pathContains, StringComparison.Ordinal));

    public IEnumerable<WireMock.Logging.ILogEntry> Writes =>
        _server.LogEntries.Where(e => e.RequestMessage.Method is "POST" or "PATCH" or "PUT" or "DELETE");

    /// <summary>
    /// The object as the current request sees it (inside a branch when it carries X-NetBox-Branch); from a test,
    /// main's object. See <see cref="FindInBranch"/> for a branch's view.
    /// </summary>
    public JsonObject? Find(string collection, int id)
    {
        lock (_gate)
        {
            if (_scope is { } branch && IsBranchable(collection))
            {
                return branch.Find(this, collection, id);
            }

            return FindInMain(collection, id);
        }
    }

    private JsonObject? FindInMain(string collection, int id)
    {
        lock (_gate)
        {
            // An id index keeps bulk requests over thousands of objects linear (bench/sync); tests may edit the lists
            // directly, so a changed count rebuilds it and a miss falls back to a scan.
            var list = _collections[collection];
            if (!_index.TryGetValue(collection, out var index) || index.Count != list.Count)
            {
                index = (list.Count, list.GroupBy(o => (int)o["id"]!).ToDictionary(g => g.Key, g => g.First()));
                _index[collection] = index;
            }

            return index.ById.TryGetValue(id, out var hit) && (int)hit["id"]! == id
                ? hit
                : list.FirstOrDefault(o => (int)o["id"]! == id);
        }
    }

    /// <summary>Changes an object in place, as a NetBox user editing it would; later answers show the change.</summary>
    public JsonObject Edit(string collection, int id, Action<JsonObject> edit)
    {
        lock (_gate)
        {
            var target = Find(collection, id) ?? throw new InvalidOperationException($"No object {id} in {collection}.");
            edit(target);
            Interlocked.Increment(ref _version);
            return target;
        }
    }

    private readonly Dictionary<string, (int Count, Dictionary<int, JsonObject> ById)> _index = new(StringComparer.Ordinal);

    public void Dispose() => _server.Stop();

    private ResponseMessage Handle(IRequestMessage request, Func<ResponseMessage> handler)
    {
        if (Latency > TimeSpan.Zero)
        {
            Thread.Sleep(Latency);
        }

        if (RequiredAuthorization is not null
            && (!request.Headers!.TryGetValue("Authorization", out var auth) || auth.FirstOrDefault() != RequiredAuthorization))
        {
            return Json(403, new JsonObject { ["detail"] = "Invalid v2 token" });
        }

        foreach (var fault in _faults)
        {
            if (fault.PathContains is null || request.Path.Contains(fault.PathContains, StringComparison.Ordinal))
            {
                if (TryTake(fault))
                {
                    if (fault.Delay is { } d)
                    {
                        Thread.Sleep(d);
                    }

                    var response = Text((int)fault.Status, fault.Body);
                    if (fault.RetryAfter is not null)
                    {
                        response.AddHeader("Retry-After", fault.RetryAfter);
                    }

                    return response;
                }

                break;
            }
        }

        lock (_gate)
        {
            // The plugin's middleware activates the branch named by the header for the whole request (and refuses an
            // unknown or unready one); /api/status/ is exempt (netbox_branching/middleware.py, constants.EXEMPT_PATHS).
            if (BranchOf(request, out var refusal) is var scope && refusal is not null)
            {
                return refusal;
            }

            _scope = scope;
            try
            {
                return handler();
            }
            finally
            {
                _scope = null;
            }
        }
    }

    private bool TryTake(Fault fault)
    {
        // Take exactly this fault out of the queue, keeping the others in order.
        var kept = new List<Fault>();
        var taken = false;
        while (_faults.TryDequeue(out var f))
        {
            if (!taken && ReferenceEquals(f, fault))
            {
                taken = true;
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

    private ResponseMessage List(string collection, IRequestMessage request)
    {
        var query = HttpUtility.ParseQueryString(new Uri(request.Url).Query);
        IEnumerable<JsonObject> items = View(collection);
        foreach (var key in query.AllKeys.Where(k => k is not null).Select(k => k!))
        {
            var values = query.GetValues(key) ?? [];
            switch (key)
            {
                case "limit" or "offset" or "fields" or "ordering" or "brief" or "exclude" or "omit":
                    break;
                case "tag":
                    foreach (var slug in values)
                    {
                        if (!View("extras/tags").Any(t => (string?)t["slug"] == slug))
                        {
                            return Json(400, new JsonObject { ["tag"] = new JsonArray($"Select a valid choice. {slug} is not one of the available choices.") });
                        }

                        items = items.Where(o => o["tags"]!.AsArray().Any(t => (string?)t!["slug"] == slug));
                    }

                    break;
                case "status":
                    items = items.Where(o => values.Contains((string?)o["status"]?["value"]));
                    break;
                case "id":
                    items = items.Where(o => values.Contains(o["id"]!.ToString()));
                    break;
                case "q":
                    // NetBox's free-text search; journal entries search their comments (JournalEntryFilterSet.search).
                    items = items.Where(o =>
                        values.All(v => ((string?)o["comments"] ?? (string?)o["name"] ?? "").Contains(v, StringComparison.OrdinalIgnoreCase)));
                    break;
                case var k when k.EndsWith("__isw", StringComparison.Ordinal):
                    items = items.Where(o => values.Any(v => ValueOf(o[k[..^5]])?.StartsWith(v, StringComparison.OrdinalIgnoreCase) == true));
                    break;
                case var k when k.EndsWith("__ic", StringComparison.Ordinal):
                    items = items.Where(o => values.Any(v => ValueOf(o[k[..^4]])?.Contains(v, StringComparison.OrdinalIgnoreCase) == true));
                    break;
                case "address":
                    // NetBox matches the host whatever the mask: ?address=10.0.0.5 finds 10.0.0.5/24.
                    var hosts = values.Select(v => v.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
                    items = items.Where(o => hosts.Contains(((string?)o["address"] ?? "").Split('/')[0]));
                    break;
                case var k when k.StartsWith("cf_", StringComparison.Ordinal):
                    items = items.Where(o => values.Contains(o["custom_fields"]?[k[3..]]?.ToString()));
                    break;
                default:
                    // name, slug, address, assigned_object_id, …: exact match on the top-level field (or the nested object's id).
                    var field = key.EndsWith("_id", StringComparison.Ordinal) && !collection.Contains("journal", StringComparison.Ordinal)
                        && key != "assigned_object_id" ? key[..^3] : key;

                    // NetBox (django-filter) silently ignores a parameter the model's filterset does not define and
                    // answers every object, e.g. ?slug= on clusters, which have no slug. A field no object of the
                    // collection carries stands for such a parameter here.
                    if (_collections[collection].Count > 0 && !_collections[collection].Exists(o => o.ContainsKey(field)))
                    {
                        break;
                    }

                    items = items.Where(o => values.Contains(ValueOf(o[field])));
                    break;
            }
        }

        var all = items.OrderBy(o => (int)o["id"]!).ToList();
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 50;
        if (limit <= 0 || limit > MaxPageSize)
        {
            limit = MaxPageSize;
        }

        var offset = int.TryParse(query["offset"], CultureInfo.InvariantCulture, out var off) ? off : 0;
        var page = all.Skip(offset).Take(limit).ToList();
        var fields = query["fields"];
        var baseUrl = $"{Url}/api/{collection}/";
        string? Link(int at)
        {
            var q = HttpUtility.ParseQueryString(new Uri(request.Url).Query);
            q["limit"] = limit.ToString(CultureInfo.InvariantCulture);
            q["offset"] = at.ToString(CultureInfo.InvariantCulture);
            return baseUrl + "?" + q;
        }

        // Objects are serialised once per shape and reused until the next write, so the fake stays cheap
        // enough for the read benchmark to measure the clients rather than the fake.
        var body = new System.Text.StringBuilder(page.Count * 2048);
        body.Append("{\"count\":").Append(all.Count.ToString(CultureInfo.InvariantCulture))
            .Append(",\"next\":").Append(JsonValue.Create(offset + limit < all.Count ? Link(offset + limit) : null)?.ToJsonString() ?? "null")
            .Append(",\"previous\":").Append(JsonValue.Create(offset > 0 ? Link(Math.Max(0, offset - limit)) : null)?.ToJsonString() ?? "null")
            .Append(",\"results\":[");
        for (var i = 0; i < page.Count; i++)
        {
            if (i > 0)
            {
                body.Append(',');
            }

            body.Append(Serialised(page[i], fields));
        }

        body.Append("]}");
        return Raw(200, body.ToString());
    }

    private readonly Dictionary<(JsonObject, string?), string> _serialised = new(new ReferenceKeyComparer());
    private int _serialisedVersion = -1;

    /// <summary>Bumped by every write so cached serialisations are not served stale.</summary>
    private int _version;

    private string Serialised(JsonObject o, string? fields)
    {
        if (_serialisedVersion != _version)
        {
            _serialised.Clear();
            _serialisedVersion = _version;
        }

        if (!_serialised.TryGetValue((o, fields), out var json))
        {
            json = Project(o, fields?.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToJsonString();
            _serialised[(o, fields)] = json;
        }

        return json;
    }

    private sealed class ReferenceKeyComparer : IEqualityComparer<(JsonObject, string?)>
    {
        public bool Equals((JsonObject, string?) x, (JsonObject, string?) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;

        public int GetHashCode((JsonObject, string?) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), obj.Item2);
    }

    private ResponseMessage Raw(int status, string json)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = json, DetectedBodyType = BodyType.String },
        };
        response.AddHeader("Content-Type", "application/json");
        response.AddHeader("API-Version", ApiVersion);
        return response;
    }

    private static string? ValueOf(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o when o["id"] is { } id => id.ToString(),
        JsonValue v => v.ToString(),
        _ => node.ToJsonString(),
    };

    private static JsonObject Project(JsonObject o, string[]? fields)
    {
        if (fields is null)
        {
            return o.DeepClone().AsObject();
        }

        var projected = new JsonObject();
        foreach (var f in fields)
        {
            if (o.TryGetPropertyValue(f, out var value))
            {
                projected[f] = value?.DeepClone();
            }
        }

        return projected;
    }

    private ResponseMessage Create(string collection, IRequestMessage request)
    {
        _version++;
        var body = JsonNode.Parse(request.Body!)!;
        if (body is JsonArray many)
        {
            var created = new JsonArray();
            foreach (var item in many)
            {
                var (ok, result) = CreateOne(collection, item!.AsObject());
                if (!ok)
                {
                    return Json(400, result);
                }

                created.Add(result);
            }

            return Json(201, created);
        }

        var (success, one) = CreateOne(collection, body.AsObject());
        return Json(success ? 201 : 400, one);
    }

    private (bool Ok, JsonNode Result) CreateOne(string collection, JsonObject item)
    {
        var o = item.DeepClone().AsObject();
        if (collection == "extras/tags")
        {
            if (o["name"] is null || o["slug"] is null)
            {
                return (false, new JsonObject { [o["name"] is null ? "name" : "slug"] = new JsonArray("This field is required.") });
            }

            if (View("extras/tags").Any(t => (string?)t["slug"] == (string?)o["slug"]))
            {
                return (false, new JsonObject { ["slug"] = new JsonArray("tag with this slug already exists.") });
            }
        }

        if (collection is "virtualization/virtual-machines" or "dcim/devices")
        {
            // Related objects are written as ids and read back nested (docs/design.md §2).
            foreach (var (field, related) in new[] { ("role", "dcim/device-roles"), ("cluster", "virtualization/clusters"), ("site", "dcim/sites") })
            {
                if (o[field] is JsonValue idValue)
                {
                    var found = Find(related, (int)idValue);
                    if (found is null)
                    {
                        return (false, new JsonObject { [field] = new JsonArray($"Related object not found using the provided numeric ID: {idValue}") });
                    }

                    o[field] = new JsonObject { ["id"] = found["id"]!.DeepClone(), ["url"] = found["url"]?.DeepClone(),
                        ["display"] = found["name"]?.DeepClone(), ["name"] = found["name"]?.DeepClone(), ["slug"] = found["slug"]?.DeepClone() };
                }
            }

            if (o["name"] is JsonValue vmName && o["cluster"] is JsonObject vmCluster
                && View(collection).Any(x => (string?)x["name"] == (string?)vmName && (int?)x["cluster"]?["id"] == (int?)vmCluster["id"]))
            {
                return (false, new JsonObject { ["non_field_errors"] = new JsonArray("Virtual machine name must be unique per cluster.") });
            }

            o["primary_ip4"] ??= null;
            o["display_url"] = $"{Url}/{(collection == "dcim/devices" ? "dcim/devices" : "virtualization/virtual-machines")}/{_nextId + 1}/";
        }

        if (collection is "virtualization/interfaces" or "dcim/interfaces")
        {
            var ownerField = collection == "dcim/interfaces" ? "device" : "virtual_machine";
            var ownerCollection = collection == "dcim/interfaces" ? "dcim/devices" : "virtualization/virtual-machines";
            var ownerId = o[ownerField] is JsonObject ownerRef ? (int)ownerRef["id"]! : (int?)o[ownerField];
            var owner = ownerId is int oid ? Find(ownerCollection, oid) : null;
            if (owner is null || o["name"] is null || (collection == "dcim/interfaces" && o["type"] is null))
            {
                return (false, new JsonObject { [owner is null ? ownerField : o["name"] is null ? "name"
                    : "type"] = new JsonArray("This field is required.") });
            }

            o[ownerField] = new JsonObject { ["id"] = owner["id"]!.DeepClone(), ["url"] = owner["url"]?.DeepClone(), ["display"] = owner["name"]?.DeepClone(),
                ["name"] = owner["name"]?.DeepClone() };
        }

        if (collection == "ipam/ip-addresses" && o["assigned_object_id"] is { } assignedId)
        {
            var interfaces = (string?)o["assigned_object_type"] == "dcim.interface" ? "dcim/interfaces" : "virtualization/interfaces";
            if (Find(interfaces, (int)assignedId) is null)
            {
                return (false, new JsonObject { ["assigned_object_id"] = new JsonArray($"Related object not found: {o["assigned_object_type"]} id " +
                    $"{assignedId}") });
            }
        }

        if (collection == "extras/journal-entries")
        {
            var target = (string?)o["assigned_object_type"] == "dcim.device" ? "dcim/devices" : "virtualization/virtual-machines";
            if (Find(target, (int)o["assigned_object_id"]!) is null)
            {
                return (false, new JsonObject { ["non_field_errors"] = new JsonArray($"Invalid assigned_object: {o["assigned_object_type"]} id " +
                    $"{o["assigned_object_id"]}") });
            }

            // JournalEntryKindChoices: anything else is a validation error, as NetBox answers it.
            var kind = (string?)o["kind"] ?? "info";
            if (kind is not ("info" or "success" or "warning" or "danger"))
            {
                return (false, new JsonObject { ["kind"] = new JsonArray($"\"{kind}\" is not a valid choice.") });
            }

            o["kind"] = new JsonObject { ["value"] = kind, ["label"] = char.ToUpperInvariant(kind[0]) + kind[1..] };
        }

        var id = ++_nextId;
        o["id"] = id;
        o["url"] = $"{Url}/api/{collection}/{id}/";
        o["display"] = (string?)o["name"] ?? (string?)o["address"] ?? id.ToString(CultureInfo.InvariantCulture);
        if (collection is "virtualization/virtual-machines" or "dcim/devices")
        {
            o["status"] = new JsonObject { ["value"] = (string?)o["status"] ?? "active", ["label"] = "" };
            o["tags"] = new JsonArray(((o["tags"] as JsonArray) ?? []).Select(t => (JsonNode?)ResolveTag(t!)).ToArray());
            o["custom_fields"] ??= new JsonObject();
        }

        Insert(collection, o);
        return (true, o.DeepClone());
    }

    private JsonObject ResolveTag(JsonNode reference)
    {
        var tag = reference switch
        {
            JsonValue v => View("extras/tags").First(t => (int)t["id"]! == (int)v),
            JsonObject { } r when r["id"] is { } id => View("extras/tags").First(t => (int)t["id"]! == (int)id),
            JsonObject { } r when r["slug"] is { } slug => View("extras/tags").First(t => (string?)t["slug"] == (string?)slug),
            JsonObject { } r => View("extras/tags").First(t => (string?)t["name"] == (string?)r["name"]),
            _ => throw new InvalidOperationException("unknown tag reference"),
        };
        return new JsonObject { ["id"] = tag["id"]!.DeepClone(), ["url"] = tag["url"]?.DeepClone(), ["display"] = tag["name"]!.DeepClone(),
            ["name"] = tag["name"]!.DeepClone(), ["slug"] = tag["slug"]!.DeepClone(), ["color"] = tag["color"]?.DeepClone() };
    }

    private ResponseMessage BulkPatch(string collection, IRequestMessage request)
    {
        _version++;
        var changes = JsonNode.Parse(request.Body!)!.AsArray();

        // All-or-none, like NetBox's one transaction: validate first, then apply.
        foreach (var change in changes)
        {
            if (PrimaryIpProblem(collection, change!.AsObject()) is { } problem)
            {
                return Json(400, new JsonObject { ["primary_ip4"] = new JsonArray(problem) });
            }

            if (change!["status"] is { } status
                && (string?)status is not ("planned" or "active" or "staged" or "failed" or "offline" or "decommissioning" or "paused" or "inventory"))
            {
                return Json(400, new JsonObject { ["status"] = new JsonArray($"\"{status}\" is not a valid choice.") });
            }
        }

        var updated = new JsonArray();
        foreach (var change in changes)
        {
            var target = FindForWrite(collection, (int)change!["id"]!);
            if (target is null)
            {
                continue; // NetBox silently skips ids it cannot see.
            }

            Apply(target, change.AsObject());
            updated.Add(target.DeepClone());
        }

        return Json(200, updated);
    }

    private void Apply(JsonObject target, JsonObject change)
    {
        foreach (var (key, value) in change.AsObject())
        {
            switch (key)
            {
                case "id":
                    break;
                case "status":
                    target["status"] = new JsonObject { ["value"] = (string?)value,
                        ["label"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase((string?)value ?? "") };
                    break;
                case "tags":
                    target["tags"] = new JsonArray(value!.AsArray().Select(t => (JsonNode?)ResolveTag(t!)).ToArray());
                    break;
                case "add_tags":
                    var existing = target["tags"]!.AsArray();
                    foreach (var t in value!.AsArray())
                    {
                        var resolved = ResolveTag(t!);
                        if (!existing.Any(e => (int)e!["id"]! == (int)resolved["id"]!))
                        {
                            existing.Add(resolved);
                        }
                    }

                    break;
                case "custom_fields":
                    var fields = target["custom_fields"] as JsonObject ?? [];
                    foreach (var (name, fieldValue) in value!.AsObject())
                    {
                        fields[name] = fieldValue?.DeepClone();
                    }

                    target["custom_fields"] = fields;
                    break;
                case "primary_ip4":
                    target["primary_ip4"] = value is null ? null
                        : Find("ipam/ip-addresses", value is JsonObject ipo ? (int)ipo["id"]! : (int)value)?.DeepClone();
                    break;
                default:
                    target[key] = value?.DeepClone();
                    break;
            }
        }

        target["last_updated"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
    }

    /// <summary>PATCH of one object (…/virtual-machines/{id}/): what a client that updates object by object sends.</summary>
    private ResponseMessage DetailPatch(string collection, IRequestMessage request)
    {
        var id = int.Parse(request.Path.TrimEnd('/').Split('/')[^1], CultureInfo.InvariantCulture);
        if (Find(collection, id) is null)
        {
            return Json(404, new JsonObject { ["detail"] = "No object matches the given query." });
        }

        var target = FindForWrite(collection, id)!;
        var change = JsonNode.Parse(request.Body!)!.AsObject();
        change["id"] = id;
        if (PrimaryIpProblem(collection, change) is { } problem)
        {
            return Json(400, new JsonObject { ["primary_ip4"] = new JsonArray(problem) });
        }

        Apply(target, change);
        return Json(200, target.DeepClone());
    }

    /// <summary>DELETE of one object: 204 and no body, as NetBox answers.</summary>
    private ResponseMessage DetailDelete(string collection, IRequestMessage request)
    {
        _version++;
        var id = int.Parse(request.Path.TrimEnd('/').Split('/')[^1], CultureInfo.InvariantCulture);
        if (!Remove(collection, id))
        {
            return Json(404, new JsonObject { ["detail"] = "No object matches the given query." });
        }

        var response = new ResponseMessage { StatusCode = 204 };
        response.AddHeader("API-Version", ApiVersion);
        return response;
    }

    /// <summary>NetBox refuses a primary IP that is not assigned to one of the object's own interfaces (VirtualMachine.clean / Device.clean).</summary>
    private string? PrimaryIpProblem(string collection, JsonObject change)
    {
        if (collection is not ("virtualization/virtual-machines" or "dcim/devices") || !change.TryGetPropertyValue("primary_ip4", out var value)
            || value is null)
        {
            return null;
        }

        var ipId = value is JsonObject ipo ? (int)ipo["id"]! : (int)value;
        var ip = Find("ipam/ip-addresses", ipId);
        if (ip is null)
        {
            return $"Related object not found using the provided numeric ID: {ipId}";
        }

        var vm = collection == "virtualization/virtual-machines";
        var interfaceType = vm ? "virtualization.vminterface" : "dcim.interface";
        var owner = (string?)ip["assigned_object_type"] == interfaceType && ip["assigned_object_id"] is { } assigned
            ? Find(vm ? "virtualization/interfaces" : "dcim/interfaces", (int)assigned)?[vm ? "virtual_machine" : "device"]?["id"]
            : null;
        return owner is not null && (int)owner == (int)change["id"]!
            ? null
            : $"The specified IP address ({ip["address"]}) is not assigned to this {(vm ? "VM" : "device")}.";
    }

    private ResponseMessage Json(int status, JsonNode body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
        };
        response.AddHeader("Content-Type", "application/json");
        response.AddHeader("API-Version", ApiVersion);
        return response;
    }

    private ResponseMessage Text(int status, string body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
        };
        response.AddHeader("Content-Type", body.StartsWith('{') ? "application/json" : "text/html");
        return response;
    }

    private sealed record Fault(HttpStatusCode Status, string Body, string? PathContains, TimeSpan? Delay, string? RetryAfter);
}
