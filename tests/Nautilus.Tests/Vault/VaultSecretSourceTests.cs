using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Nautilus.Core;
using Nautilus.Core.NetBox;
using Nautilus.Core.Secrets;
using Nautilus.Core.Vault;
using Nautilus.Testing;

namespace Nautilus.Tests.Vault;

public sealed class VaultSecretSourceTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "vault", name));

    [Fact]
    public void VaultModels_DocumentedSampleResponses_Deserialize()
    {
        var jwt = JsonSerializer.Deserialize<VaultResponse<VaultEmpty>>(Fixture("jwt-login.json"), VaultJson.Options)!;
        Assert.Equal("f33f8c72-924e-11f8-cb43-ac59d697597c", jwt.Auth!.ClientToken);
        Assert.Equal(2764800, jwt.Auth.LeaseDuration);
        Assert.True(jwt.Auth.Renewable);
        Assert.Equal("demo", jwt.Auth.Metadata!["role"]);

        var approle = JsonSerializer.Deserialize<VaultResponse<VaultEmpty>>(Fixture("approle-login.json"), VaultJson.Options)!;
        Assert.Equal(1200, approle.Auth!.LeaseDuration);

        var lookup = JsonSerializer.Deserialize<VaultResponse<VaultTokenInfo>>(Fixture("lookup-self.json"), VaultJson.Options)!;
        Assert.Equal(2764790, lookup.Data!.Ttl);
        Assert.Equal(new DateTimeOffset(2018, 5, 19, 15, 35, 54, TimeSpan.Zero),
            lookup.Data.ExpireTime!.Value.ToUniversalTime().AddTicks(-(lookup.Data.ExpireTime.Value.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Contains("testgroup2-policy", lookup.Data.Policies);

        var renew = JsonSerializer.Deserialize<VaultResponse<VaultEmpty>>(Fixture("renew-self.json"), VaultJson.Options)!;
        Assert.Equal(3600, renew.Auth!.LeaseDuration);

        var kv = JsonSerializer.Deserialize<VaultResponse<VaultKvData>>(Fixture("kv2-read.json"), VaultJson.Options)!;
        Assert.Equal("bar", kv.Data!.Data!["foo"].GetString());
        Assert.Equal(2, kv.Data.Metadata!.Version);
        Assert.Equal("", kv.Data.Metadata.DeletionTime);
    }

    [Fact]
    public async Task VaultSecretSource_JwtLogin_ReadsKvV2AndMasksEveryCredential()
    {
        using var vault = new VaultFake()
            .GivenJwtRole(VaultHarness.Role, VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(VaultHarness.NetBoxToken, vsphere: ("svc-terraform@vsphere.local", VaultHarness.VspherePassword));
        await using var provider = VaultHarness.Build(VaultHarness.JwtEnvironment(vault.Url));
        var secrets = provider.GetRequiredService<ISecretSource>();

        Assert.IsType<VaultSecretSource>(secrets);
        Assert.Equal(VaultHarness.NetBoxToken, await secrets.GetAsync(SecretName.NetBoxToken, CancellationToken.None));
        Assert.Equal("svc-terraform@vsphere.local", await secrets.GetAsync(SecretName.VsphereUser, CancellationToken.None));
        Assert.Equal(VaultHarness.VspherePassword, await secrets.GetAsync(SecretName.VspherePassword, CancellationToken.None));

        var login = Assert.Single(vault.RequestsTo("/v1/auth/jwt/login"));
        using (var body = JsonDocument.Parse(login.RequestMessage.Body!))
        {
            Assert.Equal(VaultHarness.Role, body.RootElement.GetProperty("role").GetString());
            Assert.Equal(VaultHarness.Jwt, body.RootElement.GetProperty("jwt").GetString());
        }

        // One read per path: user and password come from the same secret.
        Assert.Single(vault.RequestsTo("/v1/secret/data/nautilus/vsphere_creds"));
        var issued = Assert.Single(vault.IssuedTokens);
        Assert.All(vault.RequestsTo("/v1/secret/data/"), r => Assert.Equal(issued, r.RequestMessage.Headers!["X-Vault-Token"].Single()));

        var redactor = provider.GetRequiredService<SecretRedactor>();
        var leaked = $"netbox {VaultHarness.NetBoxToken} vsphere {VaultHarness.VspherePassword} vault {issued} jwt {VaultHarness.Jwt}";
        Assert.Equal("netbox [masked] vsphere [masked] vault [masked] jwt [masked]", redactor.Redact(leaked));
    }

    [Fact]
    public async Task VaultSecretSource_AppRole_LogsInWithRoleAndSecretId()
    {
        using var vault = new VaultFake()
            .GivenAppRole("db02de05-fa39-4855-059b-67221c5c2f63", "6a174c20-f6de-a53c-74d2-6018fcceff64", TimeSpan.FromMinutes(20), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(VaultHarness.NetBoxToken, webhookSecret: "hook-old-5d1f,hook-new-9a7e");
        await using var provider = VaultHarness.Build(new Dictionary<string, string>
        {
            ["VAULT_ADDR"] = vault.Url,
            ["VAULT_ROLE_ID"] = "db02de05-fa39-4855-059b-67221c5c2f63",
            ["VAULT_SECRET_ID"] = "6a174c20-f6de-a53c-74d2-6018fcceff64",
        });
        var secrets = provider.GetRequiredService<ISecretSource>();

        Assert.Equal("hook-old-5d1f,hook-new-9a7e", await secrets.GetAsync(SecretName.WebhookSecret, CancellationToken.None));
        var login = Assert.Single(vault.RequestsTo("/v1/auth/approle/login"));
        Assert.Contains("\"secret_id\":\"6a174c20-f6de-a53c-74d2-6018fcceff64\"", login.RequestMessage.Body, StringComparison.Ordinal);

        // Each accepted webhook secret is masked on its own, as GitLab sends only one of them.
        Assert.Equal("got [masked]", provider.GetRequiredService<SecretRedactor>().Redact("got hook-new-9a7e"));
    }

    [Fact]
    public async Task VaultSecretSource_GivenToken_ChecksItWithLookupSelfAndSendsNamespace()
    {
        using var vault = new VaultFake { Namespace = "infra/nautilus" }
            .GivenToken("hvs.DeveloperToken0001", TimeSpan.FromHours(8), readablePaths: "nautilus/netbox_token")
            .GivenNautilusSecrets(VaultHarness.NetBoxToken);
        await using var provider = VaultHarness.Build(new Dictionary<string, string>
        {
            ["VAULT_ADDR"] = vault.Url,
            ["VAULT_TOKEN"] = "hvs.DeveloperToken0001",
            ["VAULT_NAMESPACE"] = "infra/nautilus",
        });

        Assert.Equal(VaultHarness.NetBoxToken, await provider.GetRequiredService<ISecretSource>().GetAsync(SecretName.NetBoxToken, CancellationToken.None));
        Assert.Single(vault.RequestsTo("/v1/auth/token/lookup-self"));
        Assert.All(vault.Requests, r => Assert.Equal("infra/nautilus", r.RequestMessage.Headers!["X-Vault-Namespace"].Single()));
        var lease = provider.GetRequiredService<VaultClient>().Lease!;
        Assert.True(lease.Renewable);
        Assert.DoesNotContain("hvs.DeveloperToken0001", lease.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hvs.DeveloperToken0001", provider.GetRequiredService<VaultOptions>().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VaultSecretSource_CustomCa_TrustsVaultSignedByIt()
    {
        var (certificate, caPem) = VaultHarness.CreateCertificates();
        using var vault = new VaultFake(certificate: certificate)
            .GivenJwtRole(VaultHarness.Role, VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(VaultHarness.NetBoxToken);
        var url = vault.Url.Replace("0.0.0.0", "localhost", StringComparison.Ordinal);
        Assert.StartsWith("https://", url, StringComparison.Ordinal);

        var trusting = VaultHarness.JwtEnvironment(url);
        trusting["VAULT_CACERT"] = caPem;
        await using (var provider = VaultHarness.Build(trusting))
        {
            Assert.Equal(VaultHarness.NetBoxToken, await provider.GetRequiredService<ISecretSource>().GetAsync(SecretName.NetBoxToken, CancellationToken.None));
        }

        // Without the CA the system store does not trust Vault: unreachable, exit 4, naming VAULT_ADDR.
        await using (var provider = VaultHarness.Build(VaultHarness.JwtEnvironment(url)))
        {
            var error = await Assert.ThrowsAsync<NautilusException>(() =>
                provider.GetRequiredService<ISecretSource>().GetAsync(SecretName.NetBoxToken, CancellationToken.None));
            Assert.Equal(ExitCode.UpstreamUnavailable, error.Code);
            Assert.Contains("VAULT_ADDR", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task VaultClient_TokenNearExpiry_RenewsThenLogsInAgainAtMaxTtl()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        using var vault = new VaultFake(time)
            .GivenJwtRole(VaultHarness.Role, VaultHarness.Jwt, TimeSpan.FromMinutes(60), maxTtl: TimeSpan.FromMinutes(100), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(VaultHarness.NetBoxToken);
        await using var provider = VaultHarness.Build(VaultHarness.JwtEnvironment(vault.Url), time);
        var client = provider.GetRequiredService<VaultClient>();

        var first = await client.TokenAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(first, await client.TokenAsync(CancellationToken.None));
        Assert.Empty(vault.RequestsTo("renew-self"));

        // Two thirds into the hour: renew-self, asking for the original TTL again; the max TTL (100 min) caps it.
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(first, await client.TokenAsync(CancellationToken.None));
        var renew = Assert.Single(vault.RequestsTo("/v1/auth/token/renew-self"));
        Assert.Equal(first, renew.RequestMessage.Headers!["X-Vault-Token"].Single());
        Assert.Contains("\"increment\":\"3600s\"", renew.RequestMessage.Body, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(59), client.Lease!.Ttl);
        Assert.True(client.Lease.Capped);

        // Once that capped lease is due, renewing buys little: a fresh login instead.
        time.Advance(TimeSpan.FromMinutes(40));
        var second = await client.TokenAsync(CancellationToken.None);
        Assert.NotEqual(first, second);
        Assert.Single(vault.RequestsTo("renew-self"));
        Assert.Equal(2, vault.RequestsTo("/v1/auth/jwt/login").Count());
        Assert.Equal(TimeSpan.FromMinutes(60), client.Lease.Ttl);
        Assert.Equal(VaultHarness.NetBoxToken, (await client.ReadAsync("nautilus/netbox_token", CancellationToken.None))!["token"]);
    }

    [Fact]
    public async Task VaultTokenRenewalService_Running_RenewsBeforeExpiry()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        using var logs = new ListLoggerProvider();
        using var vault = new VaultFake(time)
            .GivenAppRole("role-id-1", "secret-id-1", TimeSpan.FromMinutes(30), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(VaultHarness.NetBoxToken);
        await using var provider = VaultHarness.Build(
            new Dictionary<string, string> { ["VAULT_ADDR"] = vault.Url, ["VAULT_ROLE_ID"] = "role-id-1", ["VAULT_SECRET_ID"] = "secret-id-1" },
            time,
            s =>
            {
                s.AddVaultTokenRenewal();
                s.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
            });
        var service = Assert.IsType<VaultTokenRenewalService>(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Single());
        var scheduled = new List<DateTimeOffset>();
        var waits = new[] { new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        service.Scheduled += due =>
        {
            lock (scheduled)
            {
                scheduled.Add(due);
                waits[Math.Min(scheduled.Count, waits.Length) - 1].TrySetResult();
            }
        };
        string Context() => $"requests: {string.Join(", ", vault.Requests.Select(r => r.RequestMessage.Path))}; fake now {time.GetUtcNow():O}; scheduled " +
            $"{string.Join(", ", scheduled)}; loop {service.ExecuteTask?.Status}\n{string.Join("\n", logs.Lines)}";

        // Only fake time moves the loop: it logs in, schedules the renewal at two thirds of the 30-minute TTL and
        // waits on a fake timer (Scheduled says the timer exists). Advancing fake time to that instant is the only
        // trigger; every wait below is on an event. Advance runs due timers inline, so it runs on a pool thread:
        // the loop then continues there, not on one of the test runner's few threads.
        await Eventually.CompletesAsync(service.StartAsync(CancellationToken.None), "the renewal service start", Context);
        await Eventually.CompletesAsync(waits[0].Task, "the first renewal scheduled", Context);
        Assert.Single(vault.RequestsTo("/v1/auth/approle/login"));
        Assert.Equal(time.GetUtcNow().AddMinutes(20), scheduled[0]);
        Assert.Empty(vault.RequestsTo("renew-self"));

        var renewal = vault.WaitForRequestAsync("/v1/auth/token/renew-self");
        await Task.Run(() => time.Advance(TimeSpan.FromMinutes(20)));
        await Eventually.CompletesAsync(renewal, "renew-self after 20 fake minutes", Context);
        await Eventually.CompletesAsync(waits[1].Task, "the next renewal scheduled", Context);
        Assert.Equal(time.GetUtcNow().AddMinutes(20), scheduled[1]);
        Assert.Single(vault.RequestsTo("/v1/auth/approle/login"));

        await Eventually.CompletesAsync(service.StopAsync(CancellationToken.None), "the renewal loop stopping", Context);
        Assert.True(service.ExecuteTask!.IsCompleted, "the renewal loop ended when the service stopped");
    }

    [Fact]
    public async Task VaultClient_RevokedToken_LogsInAgainOnceAndReads()
    {
        using var vault = new VaultFake()
            .GivenJwtRole(VaultHarness.Role, VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(VaultHarness.NetBoxToken);
        await using var provider = VaultHarness.Build(VaultHarness.JwtEnvironment(vault.Url));
        var client = provider.GetRequiredService<VaultClient>();
        vault.Revoke(await client.TokenAsync(CancellationToken.None));

        Assert.Equal(VaultHarness.NetBoxToken, (await client.ReadAsync("nautilus/netbox_token", CancellationToken.None))!["token"]);
        Assert.Equal(2, vault.RequestsTo("/v1/auth/jwt/login").Count());
    }

    [Fact]
    public async Task VaultSecretSource_MissingKey_NamesThePathAndKeys()
    {
        using var vault = new VaultFake()
            .GivenJwtRole(VaultHarness.Role, VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenSecret("nautilus/vsphere_creds", ("user", "svc"));
        await using var provider = VaultHarness.Build(VaultHarness.JwtEnvironment(vault.Url));

        var error = await Assert.ThrowsAsync<NautilusException>(() =>
            provider.GetRequiredService<ISecretSource>().GetAsync(SecretName.VspherePassword, CancellationToken.None));
        Assert.Equal(ExitCode.AuthenticationFailed, error.Code);
        Assert.Contains("secret/data/nautilus/vsphere_creds has no value for 'password' (it has keys user)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetBoxClient_TokenRotatedInVault_RereadsOnceAndRetriesWithoutRestart()
    {
        using var vault = new VaultFake()
            .GivenJwtRole(VaultHarness.Role, VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenNautilusSecrets("nbt_OldTokenAAAAAAAAAAAAAA");
        using var netbox = new NetBoxFake { RequiredAuthorization = "Bearer nbt_OldTokenAAAAAAAAAAAAAA" };
        await using var provider = VaultHarness.Build(
            VaultHarness.JwtEnvironment(vault.Url),
            more: s => s.AddNetBox(new NetBoxOptions { BaseUrl = new Uri(netbox.Url + "/"), Resilience = VaultHarness.Fast }));
        var client = provider.GetRequiredService<NetBoxClient>();
        await client.Api.GetStatusAsync(CancellationToken.None);

        // An operator rotates the token: NetBox now refuses the old one; Vault holds the new one.
        vault.GivenNautilusSecrets("nbt_NewTokenBBBBBBBBBBBBBB");
        netbox.RequiredAuthorization = "Bearer nbt_NewTokenBBBBBBBBBBBBBB";
        await client.Api.GetStatusAsync(CancellationToken.None);
        await client.Api.GetStatusAsync(CancellationToken.None);

        var auths = netbox.Requests.Select(r => r.RequestMessage.Headers!["Authorization"].Single()).ToList();
        Assert.Equal(["Bearer nbt_OldTokenAAAAAAAAAAAAAA", "Bearer nbt_OldTokenAAAAAAAAAAAAAA", "Bearer nbt_NewTokenBBBBBBBBBBBBBB",
            "Bearer nbt_NewTokenBBBBBBBBBBBBBB"], auths);
        Assert.Equal(2, vault.RequestsTo("/v1/secret/data/nautilus/netbox_token").Count());
        Assert.Single(vault.RequestsTo("/login"));
    }

    [Fact]
    public async Task NetBoxClient_TokenRefusedAndNotRotated_FailsOnceWithVaultPathInMessage()
    {
        using var vault = new VaultFake()
            .GivenJwtRole(VaultHarness.Role, VaultHarness.Jwt, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenNautilusSecrets("nbt_StaleTokenCCCCCCCCCCCCC");
        using var netbox = new NetBoxFake { RequiredAuthorization = "Bearer nbt_SomethingElseDDDDDDDDD" };
        await using var provider = VaultHarness.Build(
            VaultHarness.JwtEnvironment(vault.Url),
            more: s => s.AddNetBox(new NetBoxOptions { BaseUrl = new Uri(netbox.Url + "/"), Resilience = VaultHarness.Fast }));
        var client = provider.GetRequiredService<NetBoxClient>();

        var error = NautilusException.Find(await Assert.ThrowsAnyAsync<Exception>(() => client.Api.GetStatusAsync(CancellationToken.None)))!;
        Assert.Equal(ExitCode.AuthenticationFailed, error.Code);
        Assert.Contains("the Vault secret secret/data/nautilus/netbox_token (key token)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, netbox.RequestCount);
        Assert.Equal(2, vault.RequestsTo("/v1/secret/data/nautilus/netbox_token").Count());
    }
}
