using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.NetBox;

/// <summary>The live NetBox path end to end: CLI → NetBoxClient → HTTP → NetBoxFake.</summary>
public sealed class NetBoxReadTests : IDisposable
{
    private readonly NetBoxFake _netbox = new NetBoxFake().WithExport(CliRunner.Example);

    public void Dispose() => _netbox.Dispose();

    private Task<CliRunner.Result> Status(string token = "0123456789abcdef0123456789abcdef01234567", params string[] extra) =>
        CliRunner.RunAsync(
            new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = _netbox.Url, ["NAUTILUS_NETBOX_TOKEN"] = token },
            null,
            null,
            ["wp", "status", "dc1-refresh", "--format", "json", .. extra]);

    [Fact]
    public async Task WpStatus_LiveNetBox_EqualsTheExportFileResult()
    {
        var live = await Status();
        var file = await CliRunner.RunAsync("wp", "status", "dc1-refresh", "--source", CliRunner.Example, "--format", "json");

        Assert.Equal(0, live.ExitCode);
        static string Waves(string json) => JsonNode.Parse(json)!["waves"]!.ToJsonString();
        Assert.Equal(Waves(file.Out), Waves(live.Out));
    }

    [Fact]
    public async Task WpStatus_MoreThanOnePage_ReadsEveryObjectWithFewRequests()
    {
        AddVms(2_500, startId: 10_000);
        _netbox.MaxPageSize = 1000;

        var result = await Status();

        Assert.Equal(0, result.ExitCode);
        var objects = JsonNode.Parse(result.Out)!["waves"]!.AsArray().Sum(w => w!["objects"]!.AsArray().Count);
        Assert.Equal(13 + 2_500, objects);
        var vmPages = WorkPackagePages().ToList();
        Assert.Equal(3, vmPages.Count);
        Assert.All(vmPages, r => Assert.Contains("fields=", r.RequestMessage.Url, StringComparison.Ordinal));
        Assert.All(vmPages, r => Assert.Contains("tag=wp-dc1-refresh", r.RequestMessage.Url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WpStatus_ServerClampsPageSize_FollowsTheRealPageSize()
    {
        AddVms(620, startId: 10_000);
        _netbox.MaxPageSize = 250;

        var result = await Status();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(13 + 620, JsonNode.Parse(result.Out)!["waves"]!.AsArray().Sum(w => w!["objects"]!.AsArray().Count));
        Assert.Equal(3, WorkPackagePages().Count());
    }

    [Fact]
    public async Task WpStatus_V1Token_SentAsToken()
    {
        _netbox.RequiredAuthorization = "Token 0123456789abcdef0123456789abcdef01234567";

        var result = await Status();

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task WpStatus_V2Token_SentAsBearer()
    {
        const string Token = "nbt_abcdef123456.Zx9bQ2vT7mKpL4wRnYs8";
        _netbox.RequiredAuthorization = "Bearer " + Token;

        var result = await Status(Token);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(Token, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_Forbidden_ExitsFiveWithTokenHint()
    {
        _netbox.RequiredAuthorization = "Bearer nbt_other.token";

        var result = await Status("nbt_mine.secretpart");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("NetBox refused the token", result.Err, StringComparison.Ordinal);
        Assert.Contains("Invalid v2 token", result.Err, StringComparison.Ordinal);
        Assert.Contains("NAUTILUS_NETBOX_TOKEN", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("nbt_mine.secretpart", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_TooManyRequestsThenOk_RetriesHonouringRetryAfter()
    {
        _netbox.FailNext(2, HttpStatusCode.TooManyRequests, "{\"detail\":\"slow down\"}", "/virtual-machines/", retryAfter: "1");

        var result = await Status();

        Assert.Equal(0, result.ExitCode);
        var calls = WorkPackagePages().Select(r => r.RequestMessage.DateTime).ToList();
        Assert.Equal(3, calls.Count);
        Assert.True(calls[1] - calls[0] >= TimeSpan.FromMilliseconds(900), "the second call waited for Retry-After");
    }

    [Fact]
    public async Task WpStatus_ServerErrorThenOk_Retries()
    {
        var body = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "netbox", "error-500.netbox-4.2.5.json"));
        _netbox.FailNext(1, HttpStatusCode.InternalServerError, body, "/dcim/devices/");

        var result = await Status();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, _netbox.RequestsTo("GET", "/dcim/devices/").Count(r => r.RequestMessage.Url.Contains("tag=wp-dc1-refresh", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WpStatus_ServerErrorPersists_ExitsFourNamingUrl()
    {
        _netbox.FailNext(10, HttpStatusCode.ServiceUnavailable, "<html>maintenance</html>", "/extras/tags/");

        var result = await Status();

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("NetBox answered 503", result.Err, StringComparison.Ordinal);
        Assert.Contains(_netbox.Url + "/api/extras/tags/", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_Timeout_ExitsFourAfterRetries()
    {
        _netbox.FailNext(10, HttpStatusCode.OK, "{}", "/extras/tags/", delay: TimeSpan.FromSeconds(3));

        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = _netbox.Url },
            null,
            [new("Nautilus:Http:TimeoutSeconds", "0.5"), new("Nautilus:Http:MaxRetries", "1")],
            "wp", "status", "dc1-refresh");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("did not answer (timed out)", result.Err, StringComparison.Ordinal);
    }

    /// <summary>Nautilus:Http:MaxRetries is the key the webhook service reads too (UpstreamRetryKeyTests there).</summary>
    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public async Task WpStatus_HttpMaxRetries_IsHowOftenARequestIsRetried(string retries)
    {
        _netbox.FailNext(10, HttpStatusCode.ServiceUnavailable, "<html>maintenance</html>", "/extras/tags/");

        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = _netbox.Url, ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567" },
            null,
            [new("Nautilus:Http:MaxRetries", retries)],
            "wp", "status", "dc1-refresh");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal(int.Parse(retries, System.Globalization.CultureInfo.InvariantCulture) + 1, _netbox.RequestsTo("GET", "/extras/tags/").Count());
    }

    [Fact]
    public async Task WpStatus_HttpMaxRetriesNotANumber_ExitsTwoNamingTheKey()
    {
        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = _netbox.Url },
            null,
            [new("Nautilus:Http:MaxRetries", "lots")],
            "wp", "status", "dc1-refresh");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Nautilus:Http:MaxRetries is 'lots'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_Unreachable_ExitsFourWithUrlSetting()
    {
        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = "http://127.0.0.1:9" },
            null,
            null,
            "wp", "status", "dc1-refresh");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("NAUTILUS_NETBOX_URL", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_BadRequest_ExitsThreeListingNetBoxFieldMessages()
    {
        var body = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "netbox", "error-400-unknown-tag-filter.netbox-3.2.7.json"));
        _netbox.FailNext(1, HttpStatusCode.BadRequest, body, "/virtual-machines/");

        var result = await Status();

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("NetBox rejected GET", result.Err, StringComparison.Ordinal);
        Assert.Contains("tag: Select a valid choice", result.Err, StringComparison.Ordinal);
    }

    /// <summary>An unknown work package is the same mistake whatever the source: exit 3, the known ones listed, the typo named.</summary>
    [Theory]
    [InlineData("live")]
    [InlineData("export")]
    [InlineData("empty export")]
    public async Task IacGenerate_MistypedWorkPackage_Exit3SuggestingTheCloseMatch(string source)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["empty.json"], "{}");
        string[] from = source switch
        {
            "live" => ["--netbox-url", _netbox.Url],
            "export" => ["--source", CliRunner.Example],
            _ => ["--source", dir["empty.json"]],
        };

        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567" },
            dir.Path,
            null,
            ["iac", "generate", "--wp", "dc1-refrsh", "--out", dir["out"], .. from]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Work package 'dc1-refrsh' is unknown", result.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["out"]));
        if (source == "empty export")
        {
            Assert.Contains("It knows no work package", result.Err, StringComparison.Ordinal);
            return;
        }

        Assert.Contains("Did you mean 'dc1-refresh'?", result.Err, StringComparison.Ordinal);
        Assert.Contains("Known work packages: dc1-refresh, power-upgrade.", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("wp init dc1-refrsh", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_WorkPackageTagMissing_ExitsThreeSuggestingInit()
    {
        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = _netbox.Url },
            null,
            null,
            "wp", "status", "no-such-wp");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Work package 'no-such-wp' is unknown in NetBox", result.Err, StringComparison.Ordinal);
        Assert.Contains("nautilus wp init no-such-wp", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatus_NetBox3Shapes_DeviceRoleAndNumericStrings_AreRead()
    {
        // NetBox 3.x: devices carry device_role (renamed role in 3.6, removed in 4.0); tags were matched by slug.
        var legacy = new NetBoxFake("3.5");
        try
        {
            legacy.Add("extras/tags", [JsonNode.Parse("""{"id":1,"name":"wp:old","slug":"wp-old","color":"9e9e9e"}""")]);
            legacy.Add("dcim/devices", [JsonNode.Parse("""
                {"id":5,"name":"legacy-sw","device_role":{"id":1,"name":"Switch","slug":"switch"},"role":null,
                 "status":{"value":"planned","label":"Planned"},"site":{"id":1,"name":"DC1","slug":"dc1"},
                 "tags":[{"id":1,"name":"wp:old","slug":"wp-old","color":"9e9e9e"}],
                 "custom_fields":{"deployment_sequence":"7","deployment_wave":null}}
                """)]);
            var result = await CliRunner.RunAsync(
                new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = legacy.Url },
                null,
                null,
                "wp", "status", "old", "--format", "json");

            Assert.Equal(0, result.ExitCode);
            var o = JsonNode.Parse(result.Out)!["waves"]![0]!["objects"]![0]!;
            Assert.Equal("legacy-sw", (string?)o["name"]);
            Assert.Equal(7, (int?)o["sequence"]);
        }
        finally
        {
            legacy.Dispose();
        }
    }

    /// <summary>The reads of the work package's VMs (the dependency gate's count query aside).</summary>
    private IEnumerable<WireMock.Logging.ILogEntry> WorkPackagePages() =>
        _netbox.RequestsTo("GET", "/virtual-machines/").Where(r => r.RequestMessage.Url.Contains("tag=wp-dc1-refresh", StringComparison.Ordinal));

    private void AddVms(int count, int startId)
    {
        var template = _netbox.VirtualMachines.First(v => (string?)v["name"] == "dc1-web-02");
        var many = new List<JsonNode?>();
        for (var i = 0; i < count; i++)
        {
            var vm = template.DeepClone().AsObject();
            vm["id"] = startId + i;
            vm["name"] = $"bulk-{i:D5}";
            vm["custom_fields"]!["deployment_sequence"] = 100 + (i % 7);
            many.Add(vm);
        }

        _netbox.Add("virtualization/virtual-machines", many);
    }
}
