// Measures the NetBox sync `nautilus iac deploy` runs after a wave: N VMs set active, each with a primary IPv4
// created on a new interface and a journal entry, through Nautilus's bulk NetBoxSync; against the baseline of one
// request per object (a PATCH of each VM's status, as a pynetbox loop does: `vm.status = "active"; vm.save()`),
// which does less work. Both run in this process against the same kind of fake NetBox with the same latency.
// Usage: dotnet run -c Release -- [objects=5000] [latency-ms=10]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Nautilus.Core.Deploy;
using Nautilus.Core.Http;
using Nautilus.Core.NetBox;
using Nautilus.Testing;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var latency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;

NetBoxFake World()
{
    var netbox = new NetBoxFake();
    netbox.AddTag("wp:bench");
    var vms = new List<JsonNode?>(count);
    for (var i = 1; i <= count; i++)
    {
        vms.Add(new JsonObject
        {
            ["id"] = i,
            ["url"] = $"{netbox.Url}/api/virtualization/virtual-machines/{i}/",
            ["display"] = $"vm-{i:D5}",
            ["name"] = $"vm-{i:D5}",
            ["status"] = new JsonObject { ["value"] = "planned", ["label"] = "Planned" },
            ["cluster"] = new JsonObject { ["id"] = 3, ["name"] = "c1" },
            ["primary_ip4"] = null,
            ["tags"] = new JsonArray(new JsonObject { ["id"] = (int)netbox.Tags[0]["id"]!, ["name"] = "wp:bench", ["slug"] = "wp-bench" }),
            ["custom_fields"] = new JsonObject { ["deployment_wave"] = "app", ["deployment_sequence"] = 10 },
        });
    }

    netbox.Add("virtualization/virtual-machines", vms);
    netbox.Latency = TimeSpan.FromMilliseconds(latency);
    return netbox;
}

Console.WriteLine($"fake NetBox: {count:N0} planned VMs in one wave, +{latency} ms per answer");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// Nautilus: the same NetBoxSync iac deploy uses, through the same typed client and resilience pipeline.
using var ours = World();
var services = new ServiceCollection();
services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
services.AddLogging();
services.AddNetBox(new NetBoxOptions { BaseUrl = new Uri(ours.Url + "/"), Token = "0123456789abcdef0123456789abcdef01234567",
    Resilience = ResilienceSettings.Default });
await using var provider = services.BuildServiceProvider();
var client = provider.GetRequiredService<NetBoxClient>();
var targets = Enumerable.Range(1, count)
    .Select(i => new SyncTarget(ObjectKind.VirtualMachine, i, $"vm-{i:D5}", $"10.{i / 65536}.{i / 256 % 256}.{i % 256}/16"))
    .ToList();
var sync = new NetBoxSync(client, NullLogger.Instance);
var clock = Stopwatch.StartNew();
var result = await sync.SyncAsync(new SyncRequest("bench", "app", "bench-app", targets, "https://gitlab.example.com/g/p/-/jobs/1"), CancellationToken.None);
clock.Stop();
var oursWall = clock.Elapsed;
var oursRequests = ours.RequestCount;
var active = ours.VirtualMachines.Count(v => (string?)v["status"]!["value"] == "active");
var withIp = ours.VirtualMachines.Count(v => v["primary_ip4"] is not null);
if (active != count || withIp != count || ours.JournalEntries.Count != count)
{
    throw new InvalidOperationException($"sync incomplete: {active} active, {withIp} with IP, {ours.JournalEntries.Count} journal entries of {count}");
}

// Baseline: one PATCH per object, sequential, status only.
using var theirs = World();
using var http = new HttpClient { BaseAddress = new Uri(theirs.Url) };
http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Token 0123456789abcdef0123456789abcdef01234567");
clock.Restart();
for (var i = 1; i <= count; i++)
{
    using var response = await http.PatchAsJsonAsync($"/api/virtualization/virtual-machines/{i}/", new { status = "active" });
    response.EnsureSuccessStatusCode();
}

clock.Stop();
var baseWall = clock.Elapsed;
var baseRequests = theirs.RequestCount;

Console.WriteLine();
Console.WriteLine($"{"client",-58} {"requests",9} {"wall s",8}");
Console.WriteLine($"{"nautilus sync (status + primary IP + interface + journal)",-58} {oursRequests,9} {oursWall.TotalSeconds,8:F2}");
Console.WriteLine($"{"one PATCH per object (status only)",-58} {baseRequests,9} {baseWall.TotalSeconds,8:F2}");
Console.WriteLine();
Console.WriteLine($"ratio: {(double)baseRequests / oursRequests:F1}x fewer requests, {baseWall.TotalSeconds / oursWall.TotalSeconds:F1}x faster, while also " +
    $"creating {result.CreatedAddresses:N0} IP addresses, {result.CreatedInterfaces:N0} interfaces and {result.JournalEntries:N0} journal entries");
