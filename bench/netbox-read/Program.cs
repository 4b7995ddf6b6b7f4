// Measures reading one work package from a large NetBox: `nautilus wp status --format json` against
// `ansible-inventory --list` with netbox.netbox.nb_inventory, on the same fake NetBox in the same run.
// Usage: dotnet run -c Release -- <nautilus.dll> [total-vms] [wp-vms] [latency-ms]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nautilus.Testing;

var nautilus = args[0];
var total = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30_000;
var inPackage = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
var latency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;

using var netbox = new NetBoxFake();
netbox.Add("extras/tags", [
    JsonNode.Parse("""{"id":1,"url":"http://x/api/extras/tags/1/","display":"wp:bench","name":"wp:bench","slug":"wp-bench","color":"2196f3"}"""),
    JsonNode.Parse("""{"id":2,"url":"http://x/api/extras/tags/2/","display":"wp:other","name":"wp:other","slug":"wp-other","color":"2196f3"}"""),
]);
var vms = new List<JsonNode?>(total);
for (var i = 1; i <= total; i++)
{
    var mine = i <= inPackage;
    var tag = mine ? """{"id":1,"name":"wp:bench","slug":"wp-bench","color":"2196f3"}""" : """{"id":2,"name":"wp:other","slug":"wp-other","color":"2196f3"}""";
    var wave = $"wave-{(i % 50):D2}";
    vms.Add(JsonNode.Parse($$"""
        {"id":{{i}},"url":"http://netbox/api/virtualization/virtual-machines/{{i}}/","display_url":"http://netbox/virtualization/virtual-machines/{{i}}/","display":"vm-{{i:D5}}","name":"vm-{{i:D5}}",
         "virtual_machine_type":null,"role":{"id":5,"url":"http://netbox/api/dcim/device-roles/5/","display":"Web","name":"Web","slug":"web"},
         "status":{"value":"{{(mine ? "planned" : (i % 2 == 0 ? "active" : "planned"))}}","label":"x"},"start_on_boot":{"value":"off","label":"Off"},
         "site":{"id":2,"url":"http://netbox/api/dcim/sites/2/","display":"DC1","name":"DC1","slug":"dc1"},
         "cluster":{"id":3,"url":"http://netbox/api/virtualization/clusters/3/","display":"c1","name":"c1"},"device":null,
         "platform":{"id":4,"url":"http://netbox/api/dcim/platforms/4/","display":"Ubuntu","name":"Ubuntu","slug":"ubuntu"},
         "primary_ip":null,"primary_ip4":null,"primary_ip6":null,"vcpus":2.0,"memory":4096,"disk":51200,"description":"","serial":"","tenant":null,"owner":null,"comments":"",
         "tags":[{{tag}}],"local_context_data":null,"config_template":null,
         "custom_fields":{"deployment_sequence":{{i % 50}},"deployment_wave":"{{wave}}","estimated_duration":null,"rollback_complexity":null},
         "config_context":{"ntp":["10.0.0.1","10.0.0.2"],"dns":{"servers":["10.0.0.53"],"search":["example.com"]},"syslog":"10.0.0.514"},
         "created":"2026-10-01T09:00:00Z","last_updated":"2026-11-20T14:30:00Z","interface_count":1,"virtual_disk_count":0}
        """));
}

netbox.Add("virtualization/virtual-machines", vms);

// The related objects the VMs point at: nb_inventory resolves every site, role, platform and cluster id it meets.
netbox.Serve("dcim/sites").Add("dcim/sites", [JsonNode.Parse("""
    {"id":2,"url":"http://netbox/api/dcim/sites/2/","display":"DC1","name":"DC1","slug":"dc1","status":{"value":"active","label":"Active"},"region":null,"group":null,"tenant":null,"facility":"","time_zone":null,"description":"","physical_address":"","shipping_address":"","latitude":null,"longitude":null,"comments":"","asns":[],"tags":[],"custom_fields":{},"circuit_count":0,"device_count":0,"prefix_count":0,"rack_count":0,"virtualmachine_count":30000,"vlan_count":0}
    """)]);
netbox.Serve("dcim/device-roles").Add("dcim/device-roles", [JsonNode.Parse("""
    {"id":5,"url":"http://netbox/api/dcim/device-roles/5/","display":"Web","name":"Web","slug":"web"}
    """)]);
netbox.Serve("dcim/platforms").Add("dcim/platforms", [JsonNode.Parse("""
    {"id":4,"url":"http://netbox/api/dcim/platforms/4/","display":"Ubuntu","name":"Ubuntu","slug":"ubuntu"}
    """)]);
netbox.Serve("virtualization/clusters").Add("virtualization/clusters", [JsonNode.Parse("""
    {"id":3,"url":"http://netbox/api/virtualization/clusters/3/","display":"c1","name":"c1","type":{"id":1,"name":"vSphere","slug":"vsphere"},"group":null,"site":null,"scope":null,"scope_type":null,"scope_id":null}
    """)]);
netbox.Latency = TimeSpan.FromMilliseconds(latency);

var work = Directory.CreateTempSubdirectory("nautilus-bench-").FullName;
var config = Path.Combine(work, "netbox.yml");
File.WriteAllText(config, $"""
    plugin: netbox.netbox.nb_inventory
    api_endpoint: {netbox.Url}
    token: 0123456789abcdef0123456789abcdef01234567
    validate_certs: false
    plurals: false
    config_context: false
    interfaces: false
    services: false
    group_by: [role, tag, status, site, platform, cluster]
    query_filters:
      - tag: wp-bench
      - status: planned
    """);

Console.WriteLine($"fake NetBox: {total:N0} VMs, {inPackage:N0} planned in work package 'bench', +{latency} ms per answer, MAX_PAGE_SIZE {netbox.MaxPageSize}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}");

// Warm the fake: it serialises each object once per shape (with and without ?fields=), so both clients are
// measured against a server that answers from memory, as a warmed NetBox would.
using (var http = new HttpClient())
{
    var fields = Uri.EscapeDataString(Nautilus.Core.NetBox.NetBoxClient.ObjectFields);
    for (var offset = 0; offset < total; offset += netbox.MaxPageSize)
    {
        await http.GetStringAsync($"{netbox.Url}/api/virtualization/virtual-machines/?limit={netbox.MaxPageSize}&offset={offset}&ordering=id");
        await http.GetStringAsync($"{netbox.Url}/api/virtualization/virtual-machines/?limit={netbox.MaxPageSize}&offset={offset}&ordering=id&fields={fields}");
    }
}

var ours = Measure("nautilus wp status --format json", "dotnet", [nautilus, "wp", "status", "bench", "--format", "json", "--netbox-url", netbox.Url],
    new() { ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567" }, work);
var objects = JsonNode.Parse(ours.Stdout)!["waves"]!.AsArray().Sum(w => w!["objects"]!.AsArray().Count);

var theirs = Measure("ansible-inventory --list (nb_inventory)", "ansible-inventory",
    ["-i", config, "--list", .. (Environment.GetEnvironmentVariable("BENCH_DEBUG") is null ? Array.Empty<string>() : ["-vvv"])],
    new() { ["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true", ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(work, "tmp"), ["HOME"] = work }, work);
var hosts = JsonNode.Parse(theirs.Stdout)!["_meta"]!["hostvars"]!.AsObject().Count;

Console.WriteLine();
Console.WriteLine($"{"client",-40} {"wall s",8} {"requests",9} {"peak MB",8} {"objects",8}");
Console.WriteLine($"{ours.Name,-40} {ours.Wall.TotalSeconds,8:F2} {ours.Requests,9} {ours.PeakMb,8:F0} {objects,8}");
Console.WriteLine($"{theirs.Name,-40} {theirs.Wall.TotalSeconds,8:F2} {theirs.Requests,9} {theirs.PeakMb,8:F0} {hosts,8}");
Console.WriteLine();
Console.WriteLine($"ratio (nb_inventory wall / nautilus wall): {theirs.Wall.TotalSeconds / ours.Wall.TotalSeconds:F1}x faster; requests {ours.Requests} vs " +
    $"{theirs.Requests}; peak memory {ours.PeakMb:F0} MB vs {theirs.PeakMb:F0} MB");
Console.WriteLine($"targets: >= 10x faster: {(theirs.Wall.TotalSeconds / ours.Wall.TotalSeconds >= 10 ? "met" : "NOT met")}; <= 15 requests: " +
    $"{(ours.Requests <= 15 ? "met" : "NOT met")}; <= 200 MB (issue 3): {(ours.PeakMb <= 200 ? "met" : "NOT met")}; <= 120 MB (issue 13): " +
    $"{(ours.PeakMb <= 120 ? "met" : "NOT met")} ({ours.PeakMb / 120:F2}x)");
Directory.Delete(work, recursive: true);

Result Measure(string name, string file, string[] arguments, Dictionary<string, string> environment, string cwd)
{
    var before = netbox.RequestCount;
    var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd };
    info.ArgumentList.Add("-v");
    info.ArgumentList.Add(file);
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }

    foreach (var (k, v) in environment)
    {
        info.Environment[k] = v;
    }

    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    clock.Stop();
    var err = stderr.Result;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{name} failed ({process.ExitCode}):\n{err}");
    }

    var rss = Regex.Match(err, @"Maximum resident set size \(kbytes\): (\d+)");
    return new Result(name, clock.Elapsed, netbox.RequestCount - before, double.Parse(rss.Groups[1].Value, CultureInfo.InvariantCulture) / 1024, stdout.Result);
}

internal sealed record Result(string Name, TimeSpan Wall, int Requests, double PeakMb, string Stdout);
