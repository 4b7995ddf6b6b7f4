using System.Text.Json.Nodes;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Deploy;

/// <summary>
/// A work package "alpha" of three waves in a fake NetBox (a: VMs 1 and 2, b: VM 3, c: VM 4), its generated layout
/// (manifest and one Terraform root module per wave) in a temporary directory, and a fake terraform.
/// </summary>
internal sealed class DeployWorld : IDisposable
{
    public const string JobToken = "glcbt-job-token-0123456789";
    public const string VspherePassword = "vsphere-pass-S3cret!";
    public const string NetBoxToken = "0123456789abcdef0123456789abcdef01234567";

    public DeployWorld(Action<NetBoxFake>? more = null)
    {
        NetBox.AddVirtualMachine(1, "alpha-web-01", tags: ["wp:alpha"], customFields: Fields("a", 10));
        NetBox.AddVirtualMachine(2, "alpha-web-02", tags: ["wp:alpha"], customFields: Fields("a", 11));
        NetBox.AddVirtualMachine(3, "alpha-db-01", tags: ["wp:alpha"], customFields: Fields("b", 20));
        NetBox.AddVirtualMachine(4, "alpha-mon-01", tags: ["wp:alpha", "priority:low"], customFields: Fields("c", 30));
        more?.Invoke(NetBox);
        Out = Directory.CreateTempSubdirectory("nautilus-deploy-").FullName;
        Generate();
        Terraform
            .WithAddresses("a", ("virtualization.virtualmachine", 1, "alpha-web-01", "10.0.0.11/24"), ("virtualization.virtualmachine", 2, "alpha-web-02", "10.0.0.12"))
            .WithAddresses("b", ("virtualization.virtualmachine", 3, "alpha-db-01", "10.0.1.13/24"))
            .WithAddresses("c", ("virtualization.virtualmachine", 4, "alpha-mon-01", "10.0.2.14/24"));
    }

    public NetBoxFake NetBox { get; } = new();

    public FakeTerraform Terraform { get; } = new();

    public string Out { get; }

    public Dictionary<string, string> Environment { get; } = new()
    {
        ["CI"] = "true",
        ["CI_API_V4_URL"] = "https://gitlab.example.com/api/v4",
        ["CI_PROJECT_ID"] = "42",
        ["CI_JOB_TOKEN"] = JobToken,
        ["CI_JOB_URL"] = "https://gitlab.example.com/infra/alpha/-/jobs/7",
        ["PATH"] = "/usr/bin:/bin",
    };

    public Dictionary<string, string?> Configuration => new()
    {
        ["Nautilus:Terraform:Binary"] = Terraform.Path,
        ["Nautilus:NetBox:Token"] = NetBoxToken,
        ["Nautilus:VSphere:User"] = "svc-terraform@vsphere.local",
        ["Nautilus:VSphere:Password"] = VspherePassword,
    };

    public Task<CliRunner.Result> DeployAsync(params string[] args) =>
        CliRunner.RunAsync(Environment, Out, Configuration, ["iac", "deploy", "--wp", "alpha", "--out", Out, "--netbox-url", NetBox.Url, .. args]);

    public string StatusOf(int id) => (string)NetBox.Find("virtualization/virtual-machines", id)!["status"]!["value"]!;

    public string? PrimaryIpOf(int id) => (string?)NetBox.Find("virtualization/virtual-machines", id)!["primary_ip4"]?["address"];

    public static JsonObject Fields(string wave, int sequence) => new() { ["deployment_wave"] = wave, ["deployment_sequence"] = sequence };

    /// <summary>The layout iac generate writes (DESIGN section 4), from the same planner.</summary>
    public void Generate()
    {
        var snapshot = System.Text.Json.JsonSerializer.Deserialize<NetBoxSnapshot>(
            new JsonObject
            {
                ["virtual_machines"] = new JsonArray(NetBox.VirtualMachines.Select(v => (JsonNode?)v.DeepClone()).ToArray()),
                ["devices"] = new JsonArray(NetBox.Devices.Select(v => (JsonNode?)v.DeepClone()).ToArray()),
            }.ToJsonString(),
            NetBoxSnapshot.JsonOptions)!;
        var plan = Planner.Plan(snapshot, "alpha", "test", statuses: ["planned"]);
        var manifest = Manifest.From(plan);
        Directory.CreateDirectory(Path.Combine(Out, ".nautilus", "alpha"));
        File.WriteAllText(Manifest.PathFor(Out, "alpha"), manifest.ToJson());
        foreach (var wave in plan.Waves)
        {
            var dir = Path.Combine(Out, "terraform", "alpha", wave.Key);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "backend.tf"), "terraform {\n  backend \"http\" {}\n}\n");
        }
    }

    public void Dispose()
    {
        NetBox.Dispose();
        Terraform.Dispose();
        Directory.Delete(Out, recursive: true);
    }
}
