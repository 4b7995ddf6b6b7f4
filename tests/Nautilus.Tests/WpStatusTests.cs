using System.Text.Json;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

public sealed class WpStatusTests
{
    [Fact]
    public async Task WpStatus_ExampleExport_ListsWavesInOrderWithLevels()
    {
        var result = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--source", CliRunner.Example, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var waves = doc.RootElement.GetProperty("waves").EnumerateArray()
            .Select(w => (w.GetProperty("name").GetString(), w.GetProperty("level").GetInt32())).ToList();
        Assert.Equal(
            [("network-foundation", 0), ("identity", 1), ("storage", 1), ("database", 2), ("application", 3), ("monitoring", 4)],
            waves);
        var dependency = doc.RootElement.GetProperty("dependencies")[0];
        Assert.Equal("power-upgrade", dependency.GetProperty("work_package").GetString());
        Assert.Equal(1, dependency.GetProperty("planned_remaining").GetInt32());
        Assert.DoesNotContain("warning", result.Err, StringComparison.Ordinal);
    }
}
