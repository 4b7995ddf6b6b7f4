using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>appsettings.json &lt; NAUTILUS_* variables &lt; options (docs/design.md §9).</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly NetBoxFake _netbox = new NetBoxFake().WithExport(CliRunner.Example);
    private readonly string _dir = Directory.CreateTempSubdirectory("nautilus-config-").FullName;

    public void Dispose()
    {
        _netbox.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Config_AppSettingsInWorkingDirectory_SetsNetBox()
    {
        File.WriteAllText(Path.Combine(_dir, "appsettings.json"),
            "{\"Nautilus\": {\"NetBox\": {\"Url\": \"" + _netbox.Url + "\", \"Token\": \"nbt_fromsettings.abcdef\"}}}");
        _netbox.RequiredAuthorization = "Bearer nbt_fromsettings.abcdef";

        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), _dir, null, "wp", "status", "dc1-refresh");

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Config_VariableBeatsAppSettings()
    {
        File.WriteAllText(Path.Combine(_dir, "appsettings.json"), """{"Nautilus": {"NetBox": {"Url": "http://127.0.0.1:9"}}}""");

        var result = await CliRunner.RunAsync(new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = _netbox.Url }, _dir, null, "wp", "status",
            "dc1-refresh");

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Config_OptionBeatsVariable()
    {
        var result = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["NAUTILUS_NETBOX_URL"] = "http://127.0.0.1:9" },
            _dir,
            null,
            "wp", "status", "dc1-refresh", "--netbox-url", _netbox.Url);

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Config_NetBoxUrlNotHttp_ExitsTwoNamingIt()
    {
        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), _dir, null, "wp", "status", "dc1-refresh", "--netbox-url",
            "netbox.example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--netbox-url is 'netbox.example.com', not an http(s) URL", result.Err, StringComparison.Ordinal);
    }
}
