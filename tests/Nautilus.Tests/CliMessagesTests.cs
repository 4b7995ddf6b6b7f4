using System.Net;
using System.Text.RegularExpressions;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>What a user reads on stderr and stdout: one style, plain counts, causes named before the first request.</summary>
public sealed partial class CliMessagesTests : IDisposable
{
    private const string Token = "0123456789abcdef0123456789abcdef01234567";
    private readonly NetBoxFake _netbox = new NetBoxFake().WithExport(CliRunner.Example);
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _netbox.Dispose();
        _dir.Dispose();
    }

    [GeneratedRegex("^(info|warning|error|debug): ")]
    private static partial Regex Prefixed();

    /// <summary>Every line on stderr, whichever command and whether logged or written, starts "info:", "warning:" or "error:" (continuations are
    /// indented).</summary>
    [Fact]
    public async Task Stderr_LogsWarningsAndErrorsOfEveryCommand_OneStyle()
    {
        var export = await CliRunner.RunAsync(Env(), _dir.Path, null,
            ["netbox", "export", "--wp", "dc1-refresh", "--out", _dir["export.json"], "--netbox-url", _netbox.Url]);
        var nothingPlanned = await CliRunner.RunAsync(null, _dir.Path, null,
            ["iac", "generate", "--wp", "nothing-planned", "--out", _dir["out"], "--source",
            new SyntheticExport().Vm("done-01", "nothing-planned", "only", 10, "active").WriteTo(_dir.Path)]);
        var failed = await CliRunner.RunAsync(null, _dir.Path, null, ["wp", "status", "nope", "--source", CliRunner.Example]);

        Assert.Equal(0, export.ExitCode);
        Assert.Equal(0, nothingPlanned.ExitCode);
        Assert.Equal(3, failed.ExitCode);
        Assert.StartsWith("info: Wrote ", export.Err, StringComparison.Ordinal);
        Assert.StartsWith("warning: Work package nothing-planned has no planned objects", nothingPlanned.Err, StringComparison.Ordinal);
        Assert.StartsWith("error: Work package 'nope' is unknown", failed.Err, StringComparison.Ordinal);
        foreach (var line in (export.Err + nothingPlanned.Err + failed.Err).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(Prefixed().IsMatch(line) || line.StartsWith(' '), $"stderr line in another style: '{line}'");
        }
    }

    [Fact]
    public async Task IacGenerate_OneObject_CountsInTheSingular()
    {
        var source = new SyntheticExport().Vm("solo-01", "solo", "only", 10).WriteTo(_dir.Path);

        var result = await CliRunner.RunAsync(null, _dir.Path, null, ["iac", "generate", "--wp", "solo", "--out", _dir["out"], "--source", source]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(": 1 object in 1 wave under ", result.Out, StringComparison.Ordinal);
        Assert.Contains("  1 object\n", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("1 objects", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/api/")]
    public async Task NetBoxUrlEndingInApi_UsageErrorNamingTheRootBeforeAnyRequest(string suffix)
    {
        var result = await CliRunner.RunAsync(Env(), _dir.Path, null, ["wp", "status", "dc1-refresh", "--netbox-url", _netbox.Url + suffix]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--netbox-url is '{_netbox.Url}{suffix}', which ends in /api", result.Err, StringComparison.Ordinal);
        Assert.Contains($"Set it to the NetBox root: {_netbox.Url}", result.Err, StringComparison.Ordinal);
        Assert.Equal(0, _netbox.RequestCount);
    }

    /// <summary>Without a token NetBox answers "Authentication credentials were not provided."; the user is told what is missing.</summary>
    [Fact]
    public async Task NoNetBoxToken_SaysNoTokenIsSet()
    {
        _netbox.RequiredAuthorization = "Token " + Token;

        var result = await CliRunner.RunAsync(new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = _netbox.Url }, _dir.Path, null,
            ["wp", "status", "dc1-refresh"]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("No NetBox token is set", result.Err, StringComparison.Ordinal);
        Assert.Contains("Set NAUTILUS_NETBOX_TOKEN", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetBoxNotFound_DetailQuotedWithoutADoublePeriod()
    {
        _netbox.FailNext(1, HttpStatusCode.NotFound, """{"detail": "Not found."}""", pathContains: "virtual-machines");

        var result = await CliRunner.RunAsync(Env(), _dir.Path, null, ["wp", "status", "dc1-refresh", "--netbox-url", _netbox.Url]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(": Not found. Check", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("..", result.Err.Replace("...", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    /// <summary>Retries are not silent: one info line per attempt, saying what failed and when the next try is.</summary>
    [Fact]
    public async Task NetBoxUnavailable_EachRetryIsOneInfoLine()
    {
        _netbox.FailNext(2, HttpStatusCode.ServiceUnavailable);

        var result = await CliRunner.RunAsync(Env(), _dir.Path, null, ["wp", "status", "dc1-refresh", "--netbox-url", _netbox.Url]);

        Assert.True(result.ExitCode == 0, result.Err);
        var retries = result.Err.Split('\n').Where(l => l.Contains("retrying in", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, l => Assert.StartsWith($"info: NetBox (GET {_netbox.Url}/api/", l, StringComparison.Ordinal));
        Assert.Contains("503 Service Unavailable; retrying in", retries[0], StringComparison.Ordinal);
        Assert.EndsWith("(retry 1 of 3)", retries[0], StringComparison.Ordinal);
        Assert.EndsWith("(retry 2 of 3)", retries[1], StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Env() => new() { ["NAUTILUS_NETBOX_TOKEN"] = Token };
}
