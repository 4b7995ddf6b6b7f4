using System.Text;
using System.Text.Json.Nodes;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.PlanNotes;

public sealed class PlanCommentIntegrationTests
{
    private static readonly Dictionary<string, string> Pipeline = new()
    {
        ["NAUTILUS_NETBOX_URL"] = "https://netbox.example.com",
        ["CI_COMMIT_SHA"] = "8d3b1c5e2f0a4b6c9d7e1f2a3b4c5d6e7f8a9b0c",
        ["CI_PIPELINE_ID"] = "5150",
        ["CI_PIPELINE_URL"] = "https://gitlab.example.com/infra/dc1/-/pipelines/5150",
    };

    /// <summary>
    /// The note for the example work package, from real `iac generate` output: every object of every wave
    /// links to its NetBox page through the manifest's terraform_address.
    /// </summary>
    [Fact]
    public async Task PlanComment_GeneratedExample_LinksEveryObjectToNetBox()
    {
        using var dir = new TempDir();
        var generate = await CliRunner.RunAsync(["iac", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out", dir.Path]);
        Assert.True(generate.ExitCode == 0, generate.Err);
        var manifest = JsonNode.Parse(File.ReadAllText(dir[".nautilus/dc1-refresh/manifest.json"]))!;
        var objects = new List<(string Type, int Id, string Name)>();
        foreach (var wave in manifest["waves"]!.AsArray())
        {
            var changes = new JsonArray();
            foreach (var o in wave!["objects"]!.AsArray())
            {
                var address = (string)o!["terraform_address"]!;
                objects.Add(((string)o["type"]!, (int)o["id"]!, (string)o["name"]!));
                changes.Add(new JsonObject
                {
                    ["address"] = address,
                    ["mode"] = "managed",
                    ["type"] = address.Split('.')[0],
                    ["name"] = address.Split('.')[1],
                    ["change"] = new JsonObject { ["actions"] = new JsonArray("create"), ["before"] = null,
                        ["after"] = new JsonObject { ["name"] = o["name"]!.DeepClone() }, ["after_unknown"] = new JsonObject { ["id"] = true } },
                });
            }

            var folder = dir[$"plans/{(string)wave["key"]!}"];
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "plan.json"), new JsonObject { ["format_version"] = "1.2", ["resource_changes"] = changes }.ToJsonString());
        }

        var result = await CliRunner.RunAsync(Pipeline, dir.Path, null, "plan", "comment", "--plans-dir", "plans", "--wp", "dc1-refresh", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.NotEmpty(objects);
        foreach (var (type, id, _) in objects)
        {
            var path = type == "dcim.device" ? "dcim/devices" : "virtualization/virtual-machines";
            Assert.Contains($"(https://netbox.example.com/{path}/{id}/)", result.Out, StringComparison.Ordinal);
        }

        Assert.Contains($"**{objects.Count} to create**", result.Out, StringComparison.Ordinal);
    }

    /// <summary>The whole note for a mixed work package; rewrite with NAUTILUS_UPDATE_GOLDEN=1 and review the diff.</summary>
    [Fact]
    public async Task PlanComment_MixedWaves_MatchesGoldenNote()
    {
        using var plans = new PlanFixtures();
        plans.Wave("network-foundation", "lifecycle.json").Wave("identity", "requires-replace.json").Wave("database", "plan-error.json")
            .Wave("monitoring", "drift.json").Wave("outputs", "unknown-output.json")
            .Saved("database", "error.txt",
                "╷\n│ Error: Invalid reference\n│\n│   on main.tf line 3, in resource \"vsphere_virtual_machine\" \"dc1_db_01\":\n│    3:   num_cpus = " +
                "var.cpus\n╵\n")
            .Saved("database", "job-url.txt", "https://gitlab.example.com/infra/dc1/-/jobs/9003\n")
            .Saved("identity", "plan.txt",
                "Terraform will perform the following actions:\n\n  # test_instance.test must be replaced\n-/+ resource \"test_instance\" \"test\" {\n " +
                "     ~ ami = \"bar\" -> \"force-replace\" # forces replacement\n    }\n\nPlan: 1 to add, 0 to change, 1 to destroy.\n")
            .Manifest("dc1-refresh", """
                {"work_package":"dc1-refresh","source":"file:examples/netbox/dc1-refresh.json","warnings":[],"waves":[
                 {"name":"network-foundation","key":"network-foundation","level":0,"depends_on":[],"depends_on_wp":[],"state_name":"dc1-refresh-network-foundation","objects":[]},
                 {"name":"identity","key":"identity","level":1,"depends_on":["network-foundation"],"depends_on_wp":[],"state_name":"dc1-refresh-identity","objects":[]},
                 {"name":"database","key":"database","level":2,"depends_on":["identity"],"depends_on_wp":[],"state_name":"dc1-refresh-database","objects":[]},
                 {"name":"application","key":"application","level":3,"depends_on":["database"],"depends_on_wp":[],"state_name":"dc1-refresh-application","objects":[]},
                 {"name":"monitoring","key":"monitoring","level":4,"depends_on":["application"],"depends_on_wp":[],"state_name":"dc1-refresh-monitoring","objects":[]}]}
                """);

        var result = await CliRunner.RunAsync(Pipeline, plans.Root, null, "plan", "comment", "--plans-dir", "plans", "--wp", "dc1-refresh", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Err);
        var golden = Path.Combine(CliRunner.RepoRoot, "tests", "Nautilus.Tests", "PlanNotes", "Golden", "mixed-waves.md");
        if (Environment.GetEnvironmentVariable("NAUTILUS_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            await File.WriteAllTextAsync(golden, result.Out, new UTF8Encoding(false));
        }

        Assert.True(File.Exists(golden), $"No golden note at {golden}; run once with NAUTILUS_UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(await File.ReadAllTextAsync(golden), result.Out);
        Assert.Contains("outputs/plan.json belongs to no wave of the manifest", result.Err, StringComparison.Ordinal);
    }
}
