using Nautilus.Testing;

namespace Nautilus.Tests.Support;

/// <summary>
/// Runs real tools (the HCL parser, ansible-playbook, ansible-inventory). A tool that cannot run makes the test
/// fail with the reason: tests/run.sh sets NAUTILUS_TEST_* after tests/tools/setup.sh installed them.
/// </summary>
public static class RealTools
{
    public sealed record Run(int ExitCode, string Out, string Err);

    public static string HclCheck => Tools.Require("NAUTILUS_TEST_HCLCHECK", "the hclcheck binary built from hashicorp/hcl v2");

    public static string Ansible(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin"))
        {
            var path = Path.Combine(dir, tool);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{tool} is not installed; tests/tools/setup.sh installs Debian's ansible package.");
    }

    /// <summary>Runs a tool through the shared process runner, with Ansible's temp files kept out of the user's home.</summary>
    public static async Task<Run> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(Path.GetTempPath(), "nautilus-ansible-tmp"),
            ["ANSIBLE_NOCOLOR"] = "1",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        var run = await Tools.RunAsync(file, args, workingDirectory, variables).ConfigureAwait(false);
        return new Run(run.ExitCode, run.Out, run.Err);
    }

    /// <summary>hclcheck -fmt over every .tf under a folder: parses with hashicorp/hcl v2 and requires canonical layout.</summary>
    public static async Task AssertHclAsync(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*.tf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var run = await RunAsync(HclCheck, new[] { "-fmt", "-diff" }.Concat(files), folder).ConfigureAwait(false);
        Assert.True(run.ExitCode == 0, $"hclcheck -fmt failed ({run.ExitCode}):\n{run.Err}{run.Out}");
    }

    /// <summary>`ansible-playbook --syntax-check` on site.yml and every wave playbook, and `ansible-inventory --list` on the inventory.</summary>
    public static async Task<string> AssertAnsibleAsync(string folder)
    {
        var waves = Path.Combine(folder, "waves");
        var playbooks = new[] { "site.yml" }.Concat((Directory.Exists(waves) ? Directory.EnumerateFiles(waves, "*.yml") : []).Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(folder, f)));
        foreach (var playbook in playbooks)
        {
            var check = await RunAsync(Ansible("ansible-playbook"), ["--syntax-check", "-i", "inventory.yml", playbook], folder, Strict).ConfigureAwait(false);
            Assert.True(check.ExitCode == 0, $"ansible-playbook --syntax-check {playbook} failed ({check.ExitCode}):\n{check.Err}{check.Out}");
        }

        var inventory = await RunAsync(Ansible("ansible-inventory"), ["-i", "inventory.yml", "--list"], folder, Strict).ConfigureAwait(false);
        Assert.True(inventory.ExitCode == 0, $"ansible-inventory --list failed ({inventory.ExitCode}):\n{inventory.Err}");
        Assert.DoesNotContain("[WARNING]", inventory.Err, StringComparison.Ordinal);
        return inventory.Out;
    }

    /// <summary>ansible-inventory exits 0 when a plugin fails unless told otherwise (ansible config INVENTORY_UNPARSED_IS_FAILED and
    /// INVENTORY_ANY_UNPARSED_IS_FAILED turn that into a failure).</summary>
    public static readonly IReadOnlyDictionary<string, string> Strict = new Dictionary<string, string>
    {
        ["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true",
        ["ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED"] = "true",
    };
}
