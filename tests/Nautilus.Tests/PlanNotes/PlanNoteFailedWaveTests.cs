using System.Text;
using Nautilus.Core.PlanNotes;
using Nautilus.Core.Rendering;
using Nautilus.Core.Secrets;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.PlanNotes;

/// <summary>
/// What the plan jobs save beside plan.json (docs/design.md §5) and how the note shows it (§6): a failed wave's error and
/// job, and each wave's `terraform show` text, masked and inert like everything else.
/// </summary>
public sealed class PlanNoteFailedWaveTests : IDisposable
{
    private const string JobUrl = "https://gitlab.example.com/infra/dc1/-/jobs/777";
    private const string Secret = "Sup3r-S3cret-vSphere!";
    private readonly PlanFixtures _plans = new();

    public void Dispose() => _plans.Dispose();

    private void Save(string wave, string file, string text)
    {
        Directory.CreateDirectory(Path.Combine(_plans.PlansDir, wave));
        File.WriteAllText(Path.Combine(_plans.PlansDir, wave, file), text);
    }

    private static string TerraformError()
    {
        var sb = new StringBuilder();
        for (var i = 1; i <= 60; i++)
        {
            sb.Append("vsphere_virtual_machine.vm_").Append(i).Append(": Refreshing state...\n");
        }

        // Terraform's error box, in colour, with a secret the provider echoed, a path and hostile text.
        sb.Append("\u001b[31m╷\u001b[0m\n")
            .Append("\u001b[31m│\u001b[0m \u001b[1m\u001b[31mError: \u001b[0m\u001b[1mcannot log in as admin with password ").Append(Secret)
                .Append("\u001b[0m\n")
            .Append("/vmfs/volumes/ds1 is full <img src=x onerror=alert(1)> @all #123\n")
            .Append("\u001b[31m╵\u001b[0m\n");
        return sb.ToString();
    }

    private Task<CliRunner.Result> DryRunAsync() =>
        CliRunner.RunAsync(new Dictionary<string, string> { ["TF_VAR_vsphere_password"] = Secret }, _plans.Root, null, "plan", "comment", "--plans-dir",
            "plans", "--wp", "dc1-refresh", "--dry-run");

    [Fact]
    public async Task PlanComment_FailedWaveWithoutPlan_ShowsItsMaskedErrorAndLinksItsJob()
    {
        _plans.Wave("identity", "requires-replace.json");
        Save("database", WavePlanFile.ErrorFile, TerraformError());
        Save("database", WavePlanFile.JobUrlFile, JobUrl + "\n");

        var result = await DryRunAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        var note = result.Out;
        Assert.Contains($"| `database` | – | – | :x: [plan failed]({JobUrl}) |", note, StringComparison.Ordinal);
        Assert.Contains("<details><summary>Wave <code>database</code> · level – · plan failed</summary>", note, StringComparison.Ordinal);
        Assert.Contains($":x: plan failed — [job]({JobUrl})", note, StringComparison.Ordinal);
        Assert.Contains("<pre><code>vsphere_virtual_machine.vm_25: Refreshing state...\n", note, StringComparison.Ordinal);
        Assert.DoesNotContain("vm_24:", note, StringComparison.Ordinal);
        Assert.Contains("│ Error: cannot log in as admin with password [masked]\n&#47;vmfs/volumes/ds1 is full &lt;img src=x onerror=alert(1)&gt; @all " +
            "#123\n╵</code></pre>", note, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, note, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", note, StringComparison.Ordinal);
        Assert.DoesNotContain("no changes", note, StringComparison.Ordinal);
        MarkdownSafety.AssertInert(note, ["<img src=x onerror=alert(1)>", "@all #123"],
            url => url.StartsWith("https://gitlab.example.com/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanComment_MissingWaveWithJobUrl_LinksTheJob()
    {
        _plans.Wave("identity", "requires-replace.json");
        Save("database", WavePlanFile.JobUrlFile, JobUrl + "\n");

        var result = await DryRunAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains($"| `database` | – | – | :grey_question: [no plan]({JobUrl}) |", result.Out, StringComparison.Ordinal);
        Assert.Contains($"or did not run. See its [job]({JobUrl}).", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_SavedTerraformShow_IsACollapsibleMaskedBlockInItsWave()
    {
        _plans.Wave("identity", "requires-replace.json");
        Save("identity", WavePlanFile.ShowFile,
            "  # test_instance.test must be replaced\n-/+ resource \"test_instance\" \"test\" {\n      ~ ami = \"bar\" -> \"force-replace\" # forces " +
            "replacement\n      password = \"" + Secret + "\" <b>\n\n    }\n");

        var result = await DryRunAsync();

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains(
            "<details><summary>terraform show</summary>\n\n<pre><code>  # test_instance.test must be replaced\n-/+ resource \"test_instance\" \"test\" {\n " +
                "     ~ ami = \"bar\" -&gt; \"force-replace\" # forces replacement\n      password = \"[masked]\" &lt;b&gt;\n&#32;\n " +
                "   }</code></pre>\n\n</details>\n\n</details>",
            result.Out,
            StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanNote_OverTheLimit_DropsTheTerraformShowTextsFirst()
    {
        _plans.Wave("identity", "requires-replace.json");
        Save("identity", WavePlanFile.ShowFile, string.Concat(Enumerable.Repeat("      + tag = \"some long value that Terraform prints\"\n", 500)));
        var plans = PlanSet.Load(_plans.PlansDir, "plans", "dc1-refresh", null);
        var full = PlanCommentRenderer.Load(null).Render(plans, new PlanCommentContext(), new SecretRedactor());
        var renderer = new PlanCommentRenderer(new TemplateRenderer(TemplateStore.Load(null))) { MaxLength = full.Length - 1 };

        var note = renderer.Render(plans, new PlanCommentContext(), new SecretRedactor());

        Assert.Contains("<summary>terraform show</summary>", full, StringComparison.Ordinal);
        Assert.DoesNotContain("terraform show</summary>", note, StringComparison.Ordinal);
        Assert.Contains("`ami`: `\"bar\"` → `\"force-replace\"` · forces replacement", note, StringComparison.Ordinal);
        Assert.Contains("Some details were left out", note, StringComparison.Ordinal);
    }
}
