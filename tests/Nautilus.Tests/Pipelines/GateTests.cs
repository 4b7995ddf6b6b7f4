using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Pipelines;

/// <summary>`pipeline gate` against a live NetBox: open once the dependency is deployed, never for one with no objects.</summary>
public sealed class GateTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567" };

    private static Task<CliRunner.Result> GateAsync(NetBoxFake netBox, string wp) =>
        CliRunner.RunAsync(Environment, null, null, "pipeline", "gate", wp, "--for", "shop", "--netbox-url", netBox.Url);

    [Fact]
    public async Task Gate_DependencyMergedButNotDeployed_StaysClosedUntilItsObjectsAreActive()
    {
        using var netBox = new NetBoxFake();
        netBox.AddVirtualMachine(1, "pdu-01", tags: ["wp:power"]);
        netBox.AddVirtualMachine(2, "pdu-02", tags: ["wp:power"]);

        var merged = await GateAsync(netBox, "power");
        Assert.Equal(3, merged.ExitCode);
        Assert.Contains("'power' still has 2 planned object(s)", merged.Err, StringComparison.Ordinal);
        Assert.Contains("'pdu-01' (id 1)", merged.Err, StringComparison.Ordinal);

        netBox.Edit("virtualization/virtual-machines", 1, vm => vm["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" });
        Assert.Equal(3, (await GateAsync(netBox, "power")).ExitCode);

        netBox.Edit("virtualization/virtual-machines", 2, vm => vm["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" });
        var deployed = await GateAsync(netBox, "power");
        Assert.True(deployed.ExitCode == 0, deployed.Err);
        Assert.Contains("Work package 'power' has no planned objects left", deployed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_DependencyTagWithoutObjects_StaysClosedAndSaysSo()
    {
        using var netBox = new NetBoxFake();
        netBox.AddTag("wp:power");
        netBox.AddVirtualMachine(1, "shop-web-01", tags: ["wp:shop", "depends-on:wp:power"]);

        var result = await GateAsync(netBox, "power");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("The gate stays closed", result.Err, StringComparison.Ordinal);
        Assert.Contains("holds no object of work package 'power' at all (nothing is tagged wp:power)", result.Err, StringComparison.Ordinal);
        Assert.Contains("mistyped depends-on:wp:power tag", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_MistypedDependency_StaysClosed()
    {
        using var netBox = new NetBoxFake();
        netBox.AddVirtualMachine(1, "pdu-01", "active", tags: ["wp:power"]);

        var result = await GateAsync(netBox, "powr");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("holds no object of work package 'powr' at all", result.Err, StringComparison.Ordinal);
    }
}
