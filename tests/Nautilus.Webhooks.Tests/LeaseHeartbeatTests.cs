using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>A job keeps its short lease for as long as it runs: the heartbeat renews it.</summary>
public sealed class LeaseHeartbeatTests
{
    [Fact]
    public async Task Worker_JobLongerThanItsLease_KeepsTheLeaseAndWritesEachEffectOnce()
    {
        // Each NetBox request takes 2 s, and the merge job makes at least four in a row (the tag, the planned
        // objects, the bulk PATCH, the journal entries), so it runs for 8 s or more against a 6-second lease. The
        // other three worker loops poll all along: without renewal one of them would take the job over.
        var tag = NetBoxObjects.Tag(11, "wp:long-job");
        using var netBox = new NetBoxFake { Latency = TimeSpan.FromSeconds(2) };
        netBox.Add("extras/tags", [tag]);
        netBox.Add("virtualization/virtual-machines", [NetBoxObjects.Vm(1, "slow-01", "planned", tag), NetBoxObjects.Vm(2, "slow-02", "planned", tag)]);
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?>
        {
            ["Nautilus:Webhooks:Worker:Lease"] = "00:00:06",
            ["Nautilus:Webhooks:Worker:Heartbeat"] = "00:00:01",
            ["Nautilus:Webhooks:Worker:Concurrency"] = "4",

            // The merge job is the one that writes to NetBox in merge mode (in deploy mode it only journals).
            ["Nautilus:Webhooks:SyncOn"] = "merge",
        });

        var id = await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/long-job", iid: 8));
        var done = await app.WaitForAsync(id);

        Assert.True(netBox.Requests.Count >= 4,
            $"the job made {netBox.Requests.Count} NetBox requests; it did not outlast its lease, so the test proves nothing");
        Assert.Equal(1, done.Attempts);
        Assert.All(netBox.VirtualMachines, vm => Assert.Equal("active", (string?)vm["status"]!["value"]));
        Assert.Single(netBox.RequestsTo("PATCH", "/api/virtualization/virtual-machines/"));
        Assert.Equal([1, 2], netBox.JournalEntries.Select(e => (int)e["assigned_object_id"]!).Order());
    }
}
