using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.PlanNotes;
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
    public async Task Cli_AppRoleWrongSecretId_ExitsFiveWithHowToIssueANewOne()
    {
        _vault.GivenAppRole("db02de05-fa39-4855-059b-67221c5c2f63", "6a174c20-f6de-a53c-74d2-6018fcceff64", TimeSpan.FromMinutes(20),
            readablePaths: "nautilus/*");
        var env = new Dictionary<string, string>
        {
            ["VAULT_ADDR"] = _vault.Url,
            ["VAULT_ROLE_ID"] = "db02de05-fa39-4855-059b-67221c5c2f63",
            ["VAULT_SECRET_ID"] = "00000000-used-once-0000-000000000000",
            ["NAUTILUS_NETBOX_URL"] = _netbox.Url,
        };

        var result = await CliRunner.RunAsync(env, null, null, "wp", "status", "dc1-refresh");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("AppRole login at auth/approle (400: invalid role or secret ID)", result.Err, StringComparison.Ordinal);
        Assert.Contains("secret-id", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("00000000-used-once-0000-000000000000", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ExpiredVaultToken_ExitsFiveAskingForAFreshOne()
    {
        var env = new Dictionary<string, string>
        {
            ["VAULT_ADDR"] = _vault.Url,
            ["VAULT_TOKEN"] = "hvs.ExpiredLongAgo000000",
            ["NAUTILUS_NETBOX_URL"] = _netbox.Url,
        };

        var result = await CliRunner.RunAsync(env, null, null, "wp", "status", "dc1-refresh");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("lookup-self", result.Err, StringComparison.Ordinal);
        Assert.Contains("invalid, expired or revoked", result.Err, StringComparison.Ordinal);
        Assert.Contains("set a fresh VAULT_TOKEN", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("hvs.ExpiredLongAgo000000", result.Err, StringComparison.Ordinal);
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
    /// The issue's redaction proof for the CLI: a full command with every secret from Vault, verbose logs,
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

    /// <summary>
    /// The MR comment half of the redaction proof: the GitLab token and the vSphere password come from Vault
    /// only (no variable holds them), a careless module copied both into plan attributes, and neither reaches
    /// the posted note, the command's output or its logs.
    /// </summary>
    [Fact]
    public async Task Cli_PlanCommentWithVaultSecrets_NoSecretValueInNoteOutputOrLogs()
    {
        const string GitLabToken = "glpat-known-gitlab-token-42";
        const string VspherePassword = "Sup3r-S3cret-vSphere!";
        using var gitlab = new GitLabFake()
            .WithUser(901, "project_42_bot_5f3a", GitLabToken, bot: true)
            .WithProject(42, "infra/dc1")
            .WithMergeRequest(42, 7, "feature/dc1-refresh");
        using var plans = new PlanFixtures().Wave("app", "secrets.json");
        _vault.GivenNautilusSecrets(VaultHarness.NetBoxToken, GitLabToken, "hook-secret-0042", ("svc-terraform@vsphere.local", VspherePassword));
        var env = VaultHarness.JwtEnvironment(_vault.Url);
        env["CI"] = "true";
        env["CI_SERVER_URL"] = gitlab.Url;
        env["CI_PROJECT_ID"] = "42";
        env["CI_MERGE_REQUEST_IID"] = 7.ToString(CultureInfo.InvariantCulture);
        env["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/dc1-refresh";
        env["CI_PIPELINE_ID"] = "5150";

        var result = await CliRunner.RunAsync(env, plans.Root, null, "plan", "comment", "--plans-dir", "plans", "--verbose");

        Assert.True(result.ExitCode == 0, result.Err);
        var posted = string.Concat(gitlab.Writes.Select(w => w.RequestMessage.Body));
        Assert.Contains("win_01", posted, StringComparison.Ordinal);
        Assert.All(gitlab.Requests, r => Assert.Equal(GitLabToken, r.RequestMessage.Headers!["PRIVATE-TOKEN"].Single()));
        foreach (var secret in new[] { GitLabToken, VspherePassword, "hook-secret-0042", VaultHarness.NetBoxToken,
            VaultHarness.Jwt }.Concat(_vault.IssuedTokens))
        {
            Assert.DoesNotContain(secret, posted, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Out + result.Err, StringComparison.Ordinal);
        }
    }
}
