using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nautilus.Testing;
using Nautilus.Tests.Deploy;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.PlanNotes;

/// <summary>
/// The MR note's "NetBox changes" section: what the work package's NetBox branch changes in main (from the plugin's
/// ChangeDiffs), above the Terraform plan, masked and escaped like the rest of the note.
/// </summary>
public sealed class NetBoxChangesNoteTests : IDisposable
{
    private const string Vms = "virtualization/virtual-machines";

    /// <summary>A NetBox name built to break Markdown, HCL, HTML and GitLab references, with a quick action after a line break.</summary>
    private const string Hostile = "web\"; ${file(\"/etc/passwd\")} @all #1 !2 ~ops [x](javascript:alert(1)) <img src=x onerror=alert(1)> | `tick`\n/merge";

    private readonly NetBoxFake _netbox = new NetBoxFake().WithBranching();
    private readonly PlanFixtures _plans = new();

    public NetBoxChangesNoteTests()
    {
        _netbox.Add("virtualization/clusters",
            [new JsonObject { ["id"] = 3, ["url"] = _netbox.Url + "/api/virtualization/clusters/3/", ["name"] = "vsphere-prod-a" }]);
        _netbox.AddVirtualMachine(11, "dc1-db-01", tags: ["wp:dc1"], vcpus: 2, memory: 4096, customFields: new JsonObject { ["deployment_wave"] = "database" });
        _netbox.AddVirtualMachine(12, "dc1-app-01", tags: ["wp:dc1"], vcpus: 4, memory: 8192);
        _netbox.AddVirtualMachine(13, "dc1-old-01", tags: ["wp:dc1"]);
        _plans.Wave("database", "basic-create.json");
    }

    public void Dispose()
    {
        _netbox.Dispose();
        _plans.Dispose();
    }

    private async Task<NetBoxFakeBranch> BranchWithChangesAsync()
    {
        var branch = _netbox.AddBranch("dc1");
        _netbox.EditInBranch("dc1", Vms, 11, vm =>
        {
            vm["vcpus"] = 8m;
            vm["custom_fields"]!["deployment_wave"] = "application";
            vm["comments"] = "root password is " + DeployWorld.NetBoxToken;
        });
        _netbox.EditInBranch("dc1", Vms, 12, vm => vm["memory"] = 16384L);
        _netbox.EditInMain(Vms, 12, vm => vm["memory"] = 12288L);
        using var http = new HttpClient();
        using var create = new HttpRequestMessage(HttpMethod.Post, _netbox.Url + "/api/virtualization/virtual-machines/")
        {
            Content = new StringContent(new JsonObject { ["name"] = Hostile, ["status"] = "planned", ["cluster"] = 3, ["vcpus"] = 2 }.ToJsonString(),
                System.Text.Encoding.UTF8, "application/json"),
        };
        create.Headers.Add("X-NetBox-Branch", branch.SchemaId);
        using var created = await http.SendAsync(create);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        using var delete = new HttpRequestMessage(HttpMethod.Delete, _netbox.Url + "/api/virtualization/virtual-machines/13/");
        delete.Headers.Add("X-NetBox-Branch", branch.SchemaId);
        using var deleted = await http.SendAsync(delete);
        Assert.True(deleted.IsSuccessStatusCode);
        return branch;
    }

    private Task<CliRunner.Result> CommentAsync() => CliRunner.RunAsync(
        new Dictionary<string, string> { ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1", ["NAUTILUS_NETBOX_TOKEN"] = DeployWorld.NetBoxToken },
        _plans.Root,
        null,
        "plan", "comment", "--plans-dir", "plans", "--dry-run", "--netbox-url", _netbox.Url);

    [Fact]
    public async Task PlanComment_OpenNetBoxBranch_ListsItsChangesAboveThePlan()
    {
        var branch = await BranchWithChangesAsync();

        var result = await CommentAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        var note = result.Out;
        Assert.True(note.IndexOf("### NetBox changes in branch", StringComparison.Ordinal) < note.IndexOf("### Terraform plan", StringComparison.Ordinal),
            note);
        Assert.Contains($"[`dc1`]({_netbox.Url}/plugins/branching/branches/{branch.Id}/)", note, StringComparison.Ordinal);
        Assert.Contains("**1 created, 2 updated, 1 deleted** when this merge request is merged", note, StringComparison.Ordinal);

        // Field-level before → after for an update, custom fields one by one; linked inside the branch.
        Assert.Contains($"- `~` virtual machine [`dc1-db-01`]({_netbox.Url}/virtualization/virtual-machines/11/?_branch={branch.SchemaId}) **updated**", note,
            StringComparison.Ordinal);
        Assert.Contains("  - `vcpus`: `2` → `8`", note, StringComparison.Ordinal);
        Assert.Contains("  - `custom_fields.deployment_wave`: `database` → `application`", note, StringComparison.Ordinal);
        Assert.Contains("- `-` virtual machine [`dc1-old-01`]", note, StringComparison.Ordinal);

        // The conflict is flagged first, with the three values and what to do.
        Assert.Contains("· :warning: **1 in conflict with main**", note, StringComparison.Ordinal);
        Assert.Contains("`dc1-app-01`", note, StringComparison.Ordinal);
        Assert.Contains("  - `memory`: `8192` → `16384` · :warning: main now `12288`", note, StringComparison.Ordinal);
        Assert.Contains("acknowledge_conflicts=true", note, StringComparison.Ordinal);
        Assert.True(note.IndexOf("dc1-app-01", StringComparison.Ordinal) < note.IndexOf("dc1-db-01", StringComparison.Ordinal),
            "conflicting changes come first");

        // The token a user pasted into a comment is masked.
        Assert.DoesNotContain(DeployWorld.NetBoxToken, note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_HostileObjectName_StaysInsideCodeSpans()
    {
        await BranchWithChangesAsync();

        var result = await CommentAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        var note = result.Out;
        var line = Assert.Single(note.Split('\n'),
            l => l.Contains("javascript:alert", StringComparison.Ordinal) && l.Contains("**created**", StringComparison.Ordinal));

        // One line (the line break became a space), the name inside a code span fenced longer than its own backticks.
        Assert.Contains("``web\"; ${file(\"/etc/passwd\")} @all #1 !2 ~ops [x](javascript:alert(1)) <img src=x onerror=alert(1)> | `tick` /merge``", line,
            StringComparison.Ordinal);

        // Nothing GitLab would act on outside code: no line starting with a quick action, no raw HTML or mention.
        Assert.DoesNotMatch(new Regex("(?m)^[ \\t]*/"), note);
        var outsideCode = Regex.Replace(note, "(`+)[^`].*?\\1", "", RegexOptions.Singleline);
        Assert.DoesNotContain("@all", outsideCode, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", outsideCode, StringComparison.Ordinal);
        Assert.DoesNotContain("/etc/passwd", outsideCode, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_PluginAbsent_NoteIsThePlanAlone()
    {
        using var plain = new NetBoxFake();

        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1", ["NAUTILUS_NETBOX_TOKEN"] = DeployWorld.NetBoxToken },
            _plans.Root,
            null,
            "plan", "comment", "--plans-dir", "plans", "--dry-run", "--netbox-url", plain.Url);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.DoesNotContain("NetBox changes", result.Out, StringComparison.Ordinal);
        Assert.StartsWith("<!-- nautilus:plan:dc1 -->\n### Terraform plan for work package `dc1`", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("NetBox branch", result.Err, StringComparison.Ordinal);
    }
}
