using System.Net;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Vault;

/// <summary>The CLI with VAULT_ADDR set: Vault is the only secret source, its failures are exit codes 4 and 5.</summary>
public sealed class VaultCliTests : IDisposable
{
    private const string EnvironmentNetBoxToken = "0123456789abcdef0123456789abcdef01234567";

    private readonly VaultFake _vault = new VaultFake()
        .GivenJwtRole(VaultHarness.Role, VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
        .GivenNautilusSecrets(VaultHarness.NetBoxToken, vsphere: ("svc-terraform@vsphere.local", VaultHarness.VspherePassword));

    private readonly NetBoxFake _netbox = new NetBoxFake { RequiredAuthorization = "Bearer " + VaultHarness.NetBoxToken }.WithExport(CliRunner.Example);

    public void Dispose()
    {
        _vault.Dispose();
        _netbox.Dispose();
    }

    /// <summary>CI's environment: a JWT for Vault, and a stale NAUTILUS_NETBOX_TOKEN that must never be used instead.</summary>
    private Dictionary<string, string> Env(string? role = null)
    {
        var env = VaultHarness.JwtEnvironment(_vault.Url, role ?? VaultHarness.Role);
        env["NAUTILUS_NETBOX_URL"] = _netbox.Url;
        env["NAUTILUS_NETBOX_TOKEN"] = EnvironmentNetBoxToken;
        return env;
    }

    [Fact]
    public async Task Cli_VaultJwtLogin_UsesTheNetBoxTokenFromVault()
    {
        var result = await CliRunner.RunAsync(Env(), null, null, "wp", "status", "dc1-refresh");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("network-foundation", result.Out, StringComparison.Ordinal);
        Assert.All(_netbox.Requests, r => Assert.Equal("Bearer " + VaultHarness.NetBoxToken, r.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Single(_vault.RequestsTo("/v1/auth/jwt/login"));
    }

    [Fact]
    public async Task Cli_WrongJwtRole_ExitsFiveNamingRoleAndHowToFix()
    {
        var result = await CliRunner.RunAsync(Env(role: "nautilus-cii"), null, null, "wp", "status", "dc1-refresh");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("role 'nautilus-cii' at auth/jwt", result.Err, StringComparison.Ordinal);
        Assert.Contains("role \"nautilus-cii\" could not be found", result.Err, StringComparison.Ordinal);
        Assert.Contains("VAULT_AUTH_ROLE", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Requests);
    }

    [Fact]
    public async Task Cli_PolicyDeniesSecret_ExitsFiveNamingRoleAndPath()
    {
        _vault.GivenJwtRole("nautilus-narrow", VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/gitlab_token");

        var result = await CliRunner.RunAsync(Env(role: "nautilus-narrow"), null, null, "wp", "status", "dc1-refresh");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("Vault denied reading secret/data/nautilus/netbox_token", result.Err, StringComparison.Ordinal);
        Assert.Contains("role 'nautilus-narrow'", result.Err, StringComparison.Ordinal);
        Assert.Contains("permission denied", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Requests);
    }

    [Fact]
    public async Task Cli_VaultUnreachable_ExitsFourWithoutFallingBackToVariables()
    {
        var env = Env();
        env["VAULT_ADDR"] = "http://127.0.0.1:9"; // discard port: nothing listens

        var result = await CliRunner.RunAsync(env, null, null, "wp", "status", "dc1-refresh");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("Vault at POST http://127.0.0.1:9/v1/auth/jwt/login did not answer", result.Err, StringComparison.Ordinal);
        Assert.Contains("VAULT_ADDR", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Requests);
    }

    [Fact]
    public async Task Cli_VaultSealed_ExitsFourSayingSo()
    {
        _vault.Sealed = true;

        var result = await CliRunner.RunAsync(Env(), null, null, "wp", "status", "dc1-refresh");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("is sealed (Vault is sealed)", result.Err, StringComparison.Ordinal);
        Assert.Contains("vault operator unseal", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Requests);
    }

    [Fact]
    public async Task Cli_VaultAddrWithoutCredentials_ExitsFiveListingTheChoices()
    {
        var env = new Dictionary<string, string>
        {
            ["VAULT_ADDR"] = _vault.Url,
            ["NAUTILUS_NETBOX_URL"] = _netbox.Url,
            ["NAUTILUS_NETBOX_TOKEN"] = EnvironmentNetBoxToken,
        };

        var result = await CliRunner.RunAsync(env, null, null, "wp", "status", "dc1-refresh");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("VAULT_ID_TOKEN and VAULT_AUTH_ROLE", result.Err, StringComparison.Ordinal);
        Assert.Contains("VAULT_ROLE_ID and VAULT_SECRET_ID", result.Err, StringComparison.Ordinal);
        Assert.Empty(_netbox.Requests);
        Assert.Empty(_vault.Requests);
    }

    /// <summary>
    /// The redaction proof for the CLI: a full command with every secret from Vault, verbose logs,
    /// and a NetBox that echoes the token back in an error; no secret value in stdout, stderr or any body sent.
    /// </summary>
    [Fact]
    public async Task Cli_FullCommandsWithVaultSecrets_NoSecretValueInOutputLogsOrPostedBodies()
    {
        var ok = await CliRunner.RunAsync(Env(), null, null, "netbox", "bootstrap", "--wp", "dc1-refresh", "--wave", "database", "--verbose");
        Assert.True(ok.ExitCode == 0, ok.Err);
        Assert.NotEmpty(_netbox.Writes);

        _netbox.FailNext(1, HttpStatusCode.Forbidden, new JsonObject { ["detail"] = $"Invalid v2 token: Bearer {VaultHarness.NetBoxToken}" }.ToJsonString());
        var echoed = await CliRunner.RunAsync(Env(), null, null, "wp", "status", "dc1-refresh", "--verbose");
        Assert.Equal(5, echoed.ExitCode);
        Assert.Contains("Invalid v2 token: Bearer [masked]", echoed.Err, StringComparison.Ordinal);

        var secrets = new[] { VaultHarness.NetBoxToken, VaultHarness.Jwt, VaultHarness.VspherePassword }.Concat(_vault.IssuedTokens).ToList();
        var texts = new List<(string Where, string Text)>
        {
            ("bootstrap stdout", ok.Out), ("bootstrap stderr", ok.Err), ("status stdout", echoed.Out), ("status stderr", echoed.Err),
        };
        texts.AddRange(_netbox.Writes.Select(w => ($"NetBox {w.RequestMessage.Method} {w.RequestMessage.Path}", w.RequestMessage.Body ?? "")));
        foreach (var (where, text) in texts)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} holds a secret value: {text}");
            }
        }
    }
}
