using Nautilus.Tests.Support;

namespace Nautilus.Tests.Generate;

/// <summary>
/// The configure step for real: a generated wave playbook run by ansible-playbook against its hosts over a local
/// connection. A NetBox role whose Ansible role is installed is applied; one that is not is skipped with a message.
/// </summary>
public sealed class AnsibleRoleTests
{
    private static async Task<RealTools.Run> PlayAsync(TempDir dir, string wave) =>
        await RealTools.RunAsync(
            RealTools.Ansible("ansible-playbook"),
            ["-i", "ansible/dc1-refresh/inventory.yml", $"ansible/dc1-refresh/waves/{wave}.yml", "-e", "ansible_connection=local", "-e",
                "ansible_python_interpreter=/usr/bin/python3"],
            dir.Path,
            new Dictionary<string, string> { ["ANSIBLE_ROLES_PATH"] = dir["roles"], ["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true",
                ["NAUTILUS_MARKS"] = dir["marks"] });

    [Fact]
    public async Task WavePlaybook_RoleInstalled_AppliesItToTheWaveHosts()
    {
        using var dir = new TempDir();
        Assert.Equal(0, (await IacGenerateTests.GenerateAsync(dir.Path)).ExitCode);
        Directory.CreateDirectory(dir["roles/database_server/tasks"]);
        Directory.CreateDirectory(dir["marks"]);
        await File.WriteAllTextAsync(dir["roles/database_server/tasks/main.yml"], """
            - name: Mark the host configured
              ansible.builtin.copy:
                content: "{{ netbox_name }}\n"
                dest: "{{ lookup('ansible.builtin.env', 'NAUTILUS_MARKS') }}/{{ inventory_hostname }}"
            """);

        var run = await PlayAsync(dir, "database");

        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Equal(["dc1-db-01", "dc1-db-02"], Directory.GetFiles(dir["marks"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("Skipped: no Ansible role", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WavePlaybook_RoleMissing_SkipsWithAMessageAndSucceeds()
    {
        using var dir = new TempDir();
        Assert.Equal(0, (await IacGenerateTests.GenerateAsync(dir.Path)).ExitCode);
        Directory.CreateDirectory(dir["roles"]);

        var run = await PlayAsync(dir, "database");

        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Contains("Skipped: no Ansible role 'database_server' on the roles path, so NetBox role 'Database Server' configures nothing in wave database. " +
            "Add roles/database_server/tasks/main.yml", run.Out, StringComparison.Ordinal);
        Assert.Contains("skipping: [dc1-db-01]", run.Out, StringComparison.Ordinal);
    }
}
