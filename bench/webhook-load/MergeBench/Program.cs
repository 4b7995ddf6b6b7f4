using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Nautilus.Testing;

// usage: MergeBench <path to nautilus-webhooks.dll> [objects=5000] [latency-ms=5]
var dll = args[0];
var objects = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
var latency = TimeSpan.FromMilliseconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);

NetBoxFake Seeded()
{
    var fake = new NetBoxFake { Latency = latency };
    var tag = new JsonObject { ["id"] = 11, ["url"] = "x", ["display"] = "wp:bench", ["name"] = "wp:bench", ["slug"] = "wp-bench", ["color"] = "2196f3" };
    fake.Add("extras/tags", [tag]);
    fake.Add("virtualization/virtual-machines", Enumerable.Range(1, objects).Select(i => (JsonNode?)new JsonObject
    {
        ["id"] = i,
        ["name"] = $"vm-{i:00000}",
        ["display"] = $"vm-{i:00000}",
        ["status"] = new JsonObject { ["value"] = "planned", ["label"] = "Planned" },
        ["tags"] = new JsonArray(tag.DeepClone()),
        ["custom_fields"] = new JsonObject(),
    }));
    return fake;
}

// 1. The service: one merge delivery, processed by the worker.
using (var netBox = Seeded())
{
    var port = FreePort();
    var db = Path.Combine(Path.GetTempPath(), $"merge-bench-{Guid.NewGuid():N}.db");
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--Nautilus:Webhooks:LogLevel", "Warning" })
    {
        start.ArgumentList.Add(a);
    }

    start.Environment["NAUTILUS_NETBOX_URL"] = netBox.Url;
    start.Environment["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567";
    start.Environment["NAUTILUS_WEBHOOK_SECRET"] = "bench-secret";
    start.Environment["NAUTILUS_STORE"] = db;
    using var service = Process.Start(start)!;
    service.OutputDataReceived += (_, _) => { };
    service.ErrorDataReceived += (_, _) => { };
    service.BeginOutputReadLine();
    service.BeginErrorReadLine();
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    while (true)
    {
        try
        {
            if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
            {
                break;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(50);
    }

    var before = netBox.RequestCount;
    var body = "{\"object_kind\":\"merge_request\",\"project\":{\"id\":7,\"default_branch\":\"main\",\"web_url\":\"https://gitlab.example.com/infra/dc\"},"
               + "\"object_attributes\":{\"action\":\"merge\",\"iid\":1,\"source_branch\":\"feature/bench\",\"target_branch\":\"main\","
               + "\"url\":\"https://gitlab.example.com/infra/dc/-/merge_requests/1\"}}";
    using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/gitlab") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
    request.Headers.Add("X-Gitlab-Token", "bench-secret");
    var clock = Stopwatch.StartNew();
    var ack = await http.SendAsync(request);
    if (ack.StatusCode != HttpStatusCode.Accepted)
    {
        throw new InvalidOperationException($"merge delivery answered {ack.StatusCode}");
    }

    while (netBox.VirtualMachines.Any(vm => (string?)vm["status"]!["value"] != "active") || netBox.JournalEntries.Count < objects)
    {
        await Task.Delay(10);
    }

    clock.Stop();

    // WireMock logs a request after answering it: let the log catch up with the last answer before counting.
    var settled = -1;
    while (settled != netBox.RequestCount)
    {
        settled = netBox.RequestCount;
        await Task.Delay(500);
    }

    var requests = netBox.RequestCount - before;
    foreach (var group in netBox.Requests.Skip(before).GroupBy(r => $"{r.RequestMessage.Method} {r.RequestMessage.Path}"))
    {
        Console.WriteLine(FormattableString.Invariant($"  {group.Count(),3} × {group.Key}"));
    }

    var figures = FormattableString.Invariant($"service_merge objects={objects} netbox_requests={requests} wall_s={clock.Elapsed.TotalSeconds:0.00}");
    var detail = FormattableString.Invariant(
        $"status flips and {netBox.JournalEntries.Count} journal entries; NetBox fake latency {latency.TotalMilliseconds} ms/request");
    Console.WriteLine($"{figures} ({detail})");
    service.Kill(entireProcessTree: true);
    await service.WaitForExitAsync();
    File.Delete(db);
}

// 2. The baseline: one PATCH per object, one after the other (what a loop over objects does), no journal entries.
using (var netBox = Seeded())
{
    using var http = new HttpClient { BaseAddress = new Uri(netBox.Url) };
    var clock = Stopwatch.StartNew();
    for (var i = 1; i <= objects; i++)
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/virtualization/virtual-machines/")
        {
            Content = new StringContent(FormattableString.Invariant($"[{{\"id\":{i},\"status\":\"active\"}}]"), Encoding.UTF8, "application/json"),
        };
        (await http.SendAsync(patch)).EnsureSuccessStatusCode();
    }

    clock.Stop();
    var wall = FormattableString.Invariant($"{clock.Elapsed.TotalSeconds:0.00}");
    Console.WriteLine($"baseline_patch_per_object objects={objects} netbox_requests={netBox.RequestCount} wall_s={wall} (status only, no journal entries)");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
