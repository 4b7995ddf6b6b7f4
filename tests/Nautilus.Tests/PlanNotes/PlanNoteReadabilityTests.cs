using Nautilus.Core.PlanNotes;
using Nautilus.Core.Rendering;
using Nautilus.Core.Secrets;
using Nautilus.Core.Terraform;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.PlanNotes;

/// <summary>The MR note as a new reader meets it (issue 16): links that read as words, a table without dead columns, plain sentences.</summary>
public sealed class PlanNoteReadabilityTests : IDisposable
{
    private const string PipelineUrl = "https://gitlab.example.com/infra/dc1/-/pipelines/5150";
    private readonly PlanFixtures _plans = new();

    public void Dispose() => _plans.Dispose();

    private Task<CliRunner.Result> DryRunAsync(Dictionary<string, string> environment) =>
        CliRunner.RunAsync(environment, _plans.Root, null, "plan", "comment", "--plans-dir", "plans", "--wp", "dc1-refresh", "--dry-run");

    private static PlanSet Plans(params (string Wave, string Fixture)[] waves) => new(
        "dc1-refresh",
        waves.Select((w, i) => new WavePlanFile(w.Wave, i, $"plans/{w.Wave}/plan.json", TerraformPlan.Load(PlanFixtures.File(w.Fixture)),
            new Dictionary<string, NetBoxIdentity>())).ToList(),
        [],
        null);

    private static List<string> TableLines(string note) => note.Split('\n').Where(l => l.StartsWith('|')).ToList();

    [Theory]
    [InlineData("5150")]
    [InlineData(null)]
    public async Task PlanComment_PipelineLink_ReadsPipelineAndItsNumber(string? pipelineId)
    {
        _plans.Wave("identity", "requires-replace.json");
        var environment = new Dictionary<string, string> { ["CI_PIPELINE_URL"] = PipelineUrl };
        if (pipelineId is not null)
        {
            environment["CI_PIPELINE_ID"] = pipelineId;
        }

        var result = await DryRunAsync(environment);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains($" · pipeline [#5150]({PipelineUrl})", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("[pipeline]", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("pipeline pipeline", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2500)]
    [InlineData(1900)]
    public void PlanNote_CutToFit_SaysSoAndLinksTheArtifactsInWordsWithoutStraySpaces(int limit)
    {
        var renderer = new PlanCommentRenderer(new TemplateRenderer(TemplateStore.Load(null))) { MaxLength = limit };
        var context = new PlanCommentContext { PipelineUrl = PipelineUrl, PipelineId = "5150" };

        var note = renderer.Render(Plans(("network-foundation", "lifecycle.json"), ("monitoring", "drift.json")), context, new SecretRedactor());

        Assert.True(note.Length <= limit, note);
        Assert.True(note.Contains($"the full plans are in the plan jobs' artifacts in pipeline [#5150]({PipelineUrl})._", StringComparison.Ordinal), note);
        if (limit < 2000)
        {
            Assert.Contains($"left out to fit GitLab's note limit: see the plan jobs' artifacts in pipeline [#5150]({PipelineUrl}).", note,
                StringComparison.Ordinal);
        }

        Assert.DoesNotContain("1 more changed attributes", note, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\[ |\S \]|\]\( |  \S", string.Join('\n', note.Split('\n').Select(l => l.TrimStart())));
    }

    [Fact]
    public void PlanNote_CountColumnZeroInEveryWave_IsLeftOut()
    {
        var note = PlanCommentRenderer.Load(null)
            .Render(Plans(("identity", "requires-replace.json"), ("monitoring", "drift.json")), new PlanCommentContext(), new SecretRedactor());

        var table = TableLines(note);
        Assert.Equal("| Wave | Level | Update | Replace | Status |", table[0]);
        Assert.Equal("|:-----|------:|-------:|--------:|:-------|", table[1]);
        Assert.Equal("| `identity` | 0 | 0 | 1 | :warning: 1 destroyed |", table[2]);
        Assert.Equal("| `monitoring` | 1 | 2 | 0 | :white_check_mark: planned |", table[3]);
    }

    [Fact]
    public void PlanNote_NoCountAnywhere_KeepsWaveLevelAndStatus()
    {
        var waves = new List<WavePlanFile> { new("application", 3, null, null, new Dictionary<string, NetBoxIdentity>()) };

        var note = PlanCommentRenderer.Load(null).Render(new PlanSet("dc1-refresh", waves, [], null), new PlanCommentContext(), new SecretRedactor());

        Assert.Equal(["| Wave | Level | Status |", "|:-----|------:|:-------|", "| `application` | 3 | :grey_question: no plan |"], TableLines(note));
    }

    [Theory]
    [InlineData(0, 1, "**1 resource will be replaced** (destroyed and created again)")]
    [InlineData(0, 3, "**3 resources will be replaced** (destroyed and created again)")]
    [InlineData(2, 0, "**2 resources will be destroyed**")]
    [InlineData(1, 1, "**2 resources will be destroyed**: 1 deleted, 1 replaced (destroyed and created again)")]
    [InlineData(0, 0, null)]
    public void PlanNote_DestroyWarning_NamesOnlyTheNonZeroParts(int delete, int replace, string? expected) =>
        Assert.Equal(expected, PlanCommentBuilder.Destroyed(new PlanCounts { Delete = delete, Replace = replace }));

    [Fact]
    public void PlanNote_OnlyAReplace_SaysReplacedNotZeroDestroyed()
    {
        var note = PlanCommentRenderer.Load(null).Render(Plans(("identity", "requires-replace.json")), new PlanCommentContext(), new SecretRedactor());

        Assert.Contains("> :warning: **1 resource will be replaced** (destroyed and created again). They are listed first in each wave below.", note,
            StringComparison.Ordinal);
        Assert.DoesNotContain("0 destroyed", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanComment_ManifestCarriesObjectUrls_LinksNetBoxNamesWithoutANetBoxUrl()
    {
        _plans.Wave("network-foundation", "basic-create.json").Manifest("dc1-refresh", """
            {"work_package":"dc1-refresh","source":"file:netbox/dc1-refresh.json","warnings":[],"waves":[
             {"name":"network-foundation","key":"network-foundation","level":0,"depends_on":[],"depends_on_wp":[],"state_name":"dc1-refresh-network-foundation",
              "objects":[{"type":"dcim.device","id":3,"name":"dc1-fw-01","sequence":1,"priority":null,"status":"planned","terraform_address":"test_instance.test",
                          "url":"https://netbox.example.com/dcim/devices/3/"}]}]}
            """);

        var result = await DryRunAsync([]);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("NetBox [`dc1-fw-01 (device 3)`](https://netbox.example.com/dcim/devices/3/)", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://netbox.example.com/virtualization/virtual-machines/9/", "https://netbox.example.com/api/virtualization/virtual-machines/9/",
        "https://netbox.example.com/virtualization/virtual-machines/9/")]
    [InlineData(null, "https://netbox.example.com/api/virtualization/virtual-machines/9/", "https://netbox.example.com/virtualization/virtual-machines/9/")]
    [InlineData("javascript:alert(1)", null, null)]
    [InlineData(null, null, null)]
    public void Manifest_ObjectUrl_IsItsNetBoxPage(string? displayUrl, string? apiUrl, string? expected) =>
        Assert.Equal(expected, Nautilus.Core.Planning.Manifest.UiUrl(new Nautilus.Core.NetBox.VirtualMachine { Id = 9, DisplayUrl = displayUrl,
            Url = apiUrl }));
}
