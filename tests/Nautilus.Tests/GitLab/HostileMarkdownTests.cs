using Nautilus.Core.Drift;
using Nautilus.Core.PlanNotes;
using Nautilus.Core.Secrets;
using Nautilus.Core.Terraform;
using Nautilus.Testing;
using Nautilus.Tests.PlanNotes;

namespace Nautilus.Tests.GitLab;

/// <summary>
/// Every Markdown body the CLI writes to GitLab (the MR plan note, the drift report, the drift issue and its closing
/// note), parsed as GitLab reads it: NetBox names only ever land inside code spans or link text.
/// </summary>
public sealed class HostileMarkdownTests
{
    private const string NetBox = "https://netbox.example.com";
    private const string Pipeline = "https://gitlab.example.com/infra/dc1/-/pipelines/5150";

    private static bool OursOnly(string url) => url.StartsWith(NetBox + "/", StringComparison.Ordinal)
        || url.StartsWith("https://gitlab.example.com/", StringComparison.Ordinal);

    private static IEnumerable<string> Names => MarkdownSafety.HostileNames;

    [Fact]
    public void PlanNote_HostileWaveAndObjectNames_LandOnlyInCodeSpans()
    {
        var plan = TerraformPlan.Load(PlanFixtures.File("lifecycle.json"));
        var waves = Names.Select((name, i) => new WavePlanFile(
            name,
            i,
            $"plans/{i}/plan.json",
            plan,
            plan.Resources.Select((r, j) => (r.Address, j))
                .ToDictionary(x => x.Address, x => new NetBoxIdentity(x.j % 2 == 0 ? "virtualization.virtualmachine" : "dcim.device", (i * 100) + x.j, name))))
            .ToList();
        var plans = new PlanSet("dc1-refresh", waves, [.. Names], null);
        var context = new PlanCommentContext { NetBoxUrl = NetBox, PipelineUrl = Pipeline, PipelineId = "5150", CommitSha = "8d3b1c5e2f0a4b6c" };

        var note = PlanCommentRenderer.Load(null).Render(plans, context, new SecretRedactor());

        var parts = MarkdownSafety.AssertInert(note, Names, OursOnly);
        Assert.Contains(Pipeline, parts.Urls);
        Assert.Contains($"{NetBox}/virtualization/virtual-machines/0/", parts.Urls);
    }

    private static DriftReport Report() => new(
        "dc1-refresh",
        NetBox,
        "GitLab-managed Terraform state",
        Names.Count(),
        Names.Select((name, i) => new StateSummary(name, name, i % 2 == 0, i, 1)).ToList(),
        Names.Select((name, i) => new DriftItem(
            nameof(DriftKind.AttributeMismatch), i % 2 == 0 ? "virtualization.virtualmachine" : "dcim.device", i + 1, name, name, name,
                "vsphere_virtual_machine.x", name, name, name,
            $"{name}: NetBox says {name}, Terraform says {name}")).ToList());

    [Theory]
    [InlineData(NetBox)]
    [InlineData(null)]
    public void DriftMarkdown_HostileNames_LandOnlyInCodeSpans(string? netboxUrl)
    {
        var markdown = DriftRendering.Markdown(Report(), netboxUrl);

        var parts = MarkdownSafety.AssertInert(markdown, Names, OursOnly);
        Assert.Equal(netboxUrl is null ? 0 : Names.Count(), parts.Urls.Count);
    }

    [Fact]
    public void DriftIssue_BodyAndClosingNote_KeepNetBoxTextInert_AndLinkOnlyAPipelineUrl()
    {
        var now = new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero);

        var body = DriftIssue.Body("dc1-refresh", DriftRendering.Markdown(Report(), NetBox), Pipeline, now);
        var closing = DriftIssue.ClosingNote("dc1-refresh", "javascript:alert(1)", now);

        Assert.Contains(Pipeline, MarkdownSafety.AssertInert(body, Names, OursOnly).Urls);
        Assert.StartsWith(DriftIssue.Marker("dc1-refresh"), body, StringComparison.Ordinal);
        Assert.Empty(MarkdownSafety.AssertInert(closing, [], OursOnly).Urls);
        Assert.Contains("`dc1-refresh` agree as of 2026-12-04 09:30 UTC (pipeline)", closing, StringComparison.Ordinal);
    }
}
