using Nautilus.Core.NetBox;
using Nautilus.Testing;
using Nautilus.Webhooks.Handlers;

namespace Nautilus.Webhooks.Tests;

/// <summary>The service's notes, parsed as GitLab reads them: NetBox names stay inside code spans, never live.</summary>
public sealed class HostileMarkdownTests
{
    private static bool OursOnly(string url) => url.StartsWith("https://netbox.example.com/", StringComparison.Ordinal)
        || url.StartsWith("https://gitlab.example.com/", StringComparison.Ordinal);

    [Fact]
    public void MergeNote_HostileNetBoxNames_LandOnlyInCodeSpans()
    {
        var targets = MarkdownSafety.HostileNames
            .Select((name, i) => new SyncTarget(i % 2 == 0 ? ObjectKind.VirtualMachine : ObjectKind.Device, i + 1, name))
            .ToList();
        var job = new MergeRequestMerged("dc1-refresh", "infra/dc1", 7, "https://gitlab.example.com/infra/dc1/-/merge_requests/7", "main");

        var body = MergeRequestNotes.Render(job, targets, new Uri("https://netbox.example.com/"));

        var parts = MarkdownSafety.AssertInert(body, MarkdownSafety.HostileNames, OursOnly);
        Assert.Contains("https://netbox.example.com/virtualization/virtual-machines/1/", parts.Urls);
        Assert.Contains("https://netbox.example.com/dcim/devices/2/", parts.Urls);
    }

    [Fact]
    public void DeployNote_HostileWaveNames_LandOnlyInCodeSpans()
    {
        var state = new DeployNoteState(
            MarkdownSafety.HostileNames.Select((name, i) => new NoteWave(name, i, 1)).ToList(),
            [new NoteFailure("@all", 9, "https://gitlab.example.com/infra/dc/-/jobs/9"), new NoteFailure("#123", 10, "javascript:alert(1)")]);

        var body = DeploymentNotes.Render("dc1-refresh", 42, state);

        var parts = MarkdownSafety.AssertInert(body, MarkdownSafety.HostileNames, OursOnly);
        Assert.Equal(["https://gitlab.example.com/infra/dc/-/jobs/9"], parts.Urls);
    }
}
