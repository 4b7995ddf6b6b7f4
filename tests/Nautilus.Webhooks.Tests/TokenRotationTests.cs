using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>
/// A token rotated in Vault while the service runs: the service's one NetBox client reads it again when NetBox refuses
/// the old one and retries that request, so the next delivery succeeds on its first attempt, without a restart.
/// </summary>
public sealed class TokenRotationTests
{
    private const string RoleId = "5c1d7e22-8a3b-4c6f-9e0d-2b7a4f1c8d55";
    private const string SecretId = "e7a9b3c1-0d2f-4b8e-a6c4-3f1e9d7b2a60";
    private const string OldToken = "nbt_RotationOldTokenAAAAAAAA";
    private const string NewToken = "nbt_RotationNewTokenBBBBBBBB";

    [Fact]
    public async Task Service_NetBoxTokenRotatedInVault_NextDeliverySucceedsOnItsFirstAttempt()
    {
        using var vault = new VaultFake()
            .GivenAppRole(RoleId, SecretId, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(OldToken, webhookSecret: WebhooksApp.Secret);
        using var netBox = new NetBoxFake { RequiredAuthorization = "Bearer " + OldToken };
        var tag = NetBoxObjects.Tag(11, "wp:dc1-refresh");
        netBox.Add("extras/tags", [tag]);
        netBox.Add("virtualization/virtual-machines", [NetBoxObjects.Vm(1, "web-01", "planned", tag)]);
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?>
        {
            ["Nautilus:Vault:Address"] = vault.Url,
            ["Nautilus:Vault:RoleId"] = RoleId,
            ["Nautilus:Vault:SecretId"] = SecretId,
            ["Nautilus:NetBox:Token"] = null,
            ["Nautilus:Webhooks:Secret"] = null,
            ["Nautilus:Webhooks:SyncOn"] = "merge",
        });

        var first = await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 41)));
        Assert.Equal(1, first.Attempts);

        // An operator rotates the token: NetBox refuses the old one from now on, Vault holds the new one.
        vault.GivenNautilusSecrets(NewToken, webhookSecret: WebhooksApp.Secret);
        netBox.RequiredAuthorization = "Bearer " + NewToken;
        netBox.Add("virtualization/virtual-machines", [NetBoxObjects.Vm(2, "web-02", "planned", tag)]);

        var second = await app.WaitForAsync(await app.AcceptAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh", iid: 42)));

        Assert.Equal(1, second.Attempts);
        Assert.Equal("active", (string)netBox.Find("virtualization/virtual-machines", 2)!["status"]!["value"]!);
        Assert.Equal(2, vault.RequestsTo("/v1/secret/data/nautilus/netbox_token").Count());
        Assert.Single(vault.RequestsTo("/login"));
    }
}
