using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Nautilus.Images.Tests.Support;
using Nautilus.Testing;

namespace Nautilus.Images.Tests;

/// <summary>The cli image as GitLab's Docker executor runs it: its own user, the job's folder mounted, the host's network.</summary>
[Trait("Category", "Images")]
public sealed partial class CliImageTests
{
    private static string Example => Path.Combine(TestImages.RepoRoot, "examples", "netbox");

    [Fact]
    public async Task CliImage_Version_PrintsTheProductVersion()
    {
        await using var container = await Container.FromAsync(TestImages.Cli);

        var run = await container.RunAsync(["nautilus", "--version"]);

        Assert.True(run.ExitCode == 0, $"nautilus --version exited with {run.ExitCode}:\n{run.Err}{run.Out}");
        var version = VersionProperty().Match(await File.ReadAllTextAsync(Path.Combine(TestImages.RepoRoot, "Directory.Build.props"))).Groups[1].Value;
        Assert.StartsWith(version, run.Out.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliImage_GenerateIntoAMountedFolder_WritesFilesOwnedByTheImageUser()
    {
        var uid = await TestImages.UserAsync(TestImages.Cli);
        await using var container = await Container.FromAsync(TestImages.Cli);
        using var job = new JobFolder();

        var iac = await container.RunAsync(
            ["nautilus", "iac", "generate", "--wp", "dc1-refresh", "--source", "/in/dc1-refresh.json", "--out", "/job"],
            volumes: [$"{Example}:/in:ro", $"{job.Path}:/job"]);
        var pipeline = await container.RunAsync(
            ["nautilus", "pipeline", "generate", "--wp", "dc1-refresh", "--source", "/in/dc1-refresh.json", "--out", "/job/child-pipeline.yml"],
            volumes: [$"{Example}:/in:ro", $"{job.Path}:/job"]);

        Assert.True(iac.ExitCode == 0, $"nautilus iac generate exited with {iac.ExitCode}:\n{iac.Err}{iac.Out}");
        Assert.True(pipeline.ExitCode == 0, $"nautilus pipeline generate exited with {pipeline.ExitCode}:\n{pipeline.Err}{pipeline.Out}");
        Assert.True(File.Exists(Path.Combine(job.Path, "terraform", "dc1-refresh", "database", "main.tf")),
            "no terraform/dc1-refresh/database/main.tf: the built-in templates are not in the image's binary");
        Assert.Contains("plan:network-foundation:", await File.ReadAllTextAsync(Path.Combine(job.Path, "child-pipeline.yml")), StringComparison.Ordinal);
        var owners = await job.OwnersAsync();
        Assert.True(owners.Count > 10, $"only {owners.Count} files were written");
        Assert.All(owners, o => Assert.True(o.Uid == uid, $"{o.Path} is owned by uid {o.Uid}, not the image's user {uid}"));
    }

    [Fact]
    public async Task CliImage_AnsiblePlaybook_RunsAsTheImageUserAndAsAnArbitraryUidOfGroupRoot()
    {
        var uid = await TestImages.UserAsync(TestImages.Cli);
        await using var container = await Container.FromAsync(TestImages.Cli);
        await using var other = await Container.FromAsync(TestImages.Cli);
        using var job = new JobFolder();
        // The copy module goes through ~/.ansible/tmp, which needs a writable HOME.
        await File.WriteAllTextAsync(Path.Combine(job.Path, "local.yml"), """
            - hosts: localhost
              connection: local
              gather_facts: false
              tasks:
                - ansible.builtin.copy:
                    content: "ran\n"
                    dest: "/job/ran-{{ lookup('ansible.builtin.pipe', 'id -u') }}"
            """);

        var version = await container.RunAsync(["ansible-playbook", "--version"]);
        var asImageUser = await container.RunAsync(["ansible-playbook", "-i", "localhost,", "/job/local.yml"], volumes: [$"{job.Path}:/job"]);
        var asOtherUid = await other.RunAsync(["ansible-playbook", "-i", "localhost,", "/job/local.yml"], volumes: [$"{job.Path}:/job"], user: "4242:0");

        Assert.True(version.ExitCode == 0, $"ansible-playbook --version exited with {version.ExitCode}:\n{version.Err}{version.Out}");
        Assert.StartsWith("ansible-playbook [core 2.", version.Out, StringComparison.Ordinal);
        Assert.True(asImageUser.ExitCode == 0, $"the playbook failed as the image's user:\n{asImageUser.Err}{asImageUser.Out}");
        Assert.True(asOtherUid.ExitCode == 0,
            $"the playbook failed as uid 4242 (group 0), as OpenShift or Kubernetes may run it:\n{asOtherUid.Err}{asOtherUid.Out}");
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(job.Path, $"ran-{uid}")));
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(job.Path, "ran-4242")));
    }

    [Fact]
    public async Task CliImage_GeneratedPlaybooks_PassTheImagesAnsibleSyntaxCheck()
    {
        await using var container = await Container.FromAsync(TestImages.Cli);
        using var job = new JobFolder();
        var generate = await container.RunAsync(
            ["nautilus", "iac", "generate", "--wp", "dc1-refresh", "--source", "/in/dc1-refresh.json", "--out", "/job"],
            volumes: [$"{Example}:/in:ro", $"{job.Path}:/job"]);
        Assert.True(generate.ExitCode == 0, $"nautilus iac generate exited with {generate.ExitCode}:\n{generate.Err}{generate.Out}");

        var folder = Path.Combine(job.Path, "ansible", "dc1-refresh");
        var playbooks = Directory.EnumerateFiles(folder, "*.yml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(f => f == "site.yml" || f.StartsWith("waves/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("site.yml", playbooks);
        Assert.True(playbooks.Count > 1, "no wave playbooks were generated");

        var check = await container.RunAsync(
            ["sh", "-c", "cd /job/ansible/dc1-refresh && ansible-playbook --syntax-check -i inventory.yml \"$@\"", "sh", .. playbooks],
                volumes: [$"{job.Path}:/job"]);

        Assert.True(check.ExitCode == 0, $"ansible-playbook --syntax-check {string.Join(' ', playbooks)} failed in the image:\n{check.Err}{check.Out}");
        Assert.All(playbooks, p => Assert.Contains($"playbook: {p}", check.Out, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CliImage_NetBoxUnreachable_ExitsFourNamingTheUrl()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var container = await Container.FromAsync(TestImages.Cli);
        using var job = new JobFolder();

        var run = await container.RunAsync(
            ["nautilus", "iac", "generate", "--wp", "dc1-refresh", "--out", "/job"],
            new Dictionary<string, string>
            {
                ["NAUTILUS_NETBOX_URL"] = $"http://127.0.0.1:{port}",
                ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567",
            },
            [$"{job.Path}:/job"]);

        Assert.True(run.ExitCode == 4, $"expected exit 4 (upstream unavailable), got {run.ExitCode}:\n{run.Err}{run.Out}");
        Assert.Contains($"http://127.0.0.1:{port}/", run.Err, StringComparison.Ordinal);
        Assert.Contains("NAUTILUS_NETBOX_URL", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionProperty();
}
