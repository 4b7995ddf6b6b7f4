using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>
/// The service as deployed with Vault (docs/design.md §9): AppRole login, the webhook secret, NetBox and GitLab tokens
/// from KV v2, and the redaction proof for a webhook delivery: no secret value in any log line, answer
/// or body the service sent, even when NetBox echoes its token back in an error.
/// </summary>
[RealTool]
[Collection("processes")]
public sealed class VaultDeliveryTests
{
    private const string RoleId = "9a2b7c11-5d1e-4f7a-8c3b-0e6f2d9a1b44";
    private const string SecretId = "c4e8f0a2-6b1d-4e3f-9a7c-5d2b8e0f1a36";
    private const string WebhookSecret = "whsec-vault-7f3c9e21";
    private const string NetBoxToken = "nbt_VaultServiceToken9f8e7d6c";
    private const string GitLabToken = "glpat-vault-service-token-77";
    private const string Admin = "vault-test-admin-token-0042";
    private const long Project = 7;

    [Fact]
    public async Task Service_SecretsFromVault_MergeDeliverySyncsAndNoSecretLeaks()
    {
        using var vault = new VaultFake()
            .GivenAppRole(RoleId, SecretId, TimeSpan.FromHours(1), readablePaths: "nautilus/*")
            .GivenNautilusSecrets(NetBoxToken, GitLabToken, WebhookSecret);
        using var netBox = new NetBoxFake { RequiredAuthorization = "Bearer " + NetBoxToken };
        var tag = NetBoxObjects.Tag(11, "wp:dc1-refresh");
        netBox.Add("extras/tags", [tag]);
        netBox.Add("virtualization/virtual-machines", [NetBoxObjects.Vm(1, "web-01", "planned", tag), NetBoxObjects.Vm(2, "web-02", "planned", tag)]);

        // NetBox echoes the token in its first refusal: the worker's log of that failure must mask it.
        netBox.FailNext(1, HttpStatusCode.Forbidden, new JsonObject { ["detail"] = $"Invalid v2 token: Bearer {NetBoxToken}" }.ToJsonString());
        using var gitLab = new GitLabFake();
        gitLab.WithUser(5, "nautilus-bot", GitLabToken, bot: true).WithProject(Project, "infra/dc").WithMergeRequest(Project, 42, "feature/dc1-refresh");
        var store = Path.Combine(Directory.CreateTempSubdirectory("nautilus-vault-webhooks-").FullName, "queue.db");

        // No NAUTILUS_*_TOKEN or NAUTILUS_WEBHOOK_SECRET: Vault is the only source.
        await using var service = await ServiceProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["VAULT_ADDR"] = vault.Url,
                ["VAULT_ROLE_ID"] = RoleId,
                ["VAULT_SECRET_ID"] = SecretId,
                ["NAUTILUS_NETBOX_URL"] = netBox.Url,
                ["NAUTILUS_GITLAB_URL"] = gitLab.Url,
                ["NAUTILUS_ADMIN_TOKEN"] = Admin,
                ["NAUTILUS_STORE"] = store,
                ["NAUTILUS_SYNC_ON"] = "merge",
            },
            "--Nautilus:Webhooks:Worker:BaseDelay", "00:00:00.100",
            "--Nautilus:Webhooks:Worker:MaxDelay", "00:00:00.500",
            "--Nautilus:Webhooks:Worker:PollInterval", "00:00:00.100",
            "--Nautilus:Http:MaxRetries", "1",
            "--Nautilus:Http:BaseDelayMs", "10",
            "--Nautilus:Webhooks:LogLevel", "Debug");

        var answers = new List<string>();
        using (var refused = await PostAsync(service, "not-the-secret"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            answers.Add(await refused.Content.ReadAsStringAsync());
        }

        using (var accepted = await PostAsync(service, WebhookSecret))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            answers.Add(await accepted.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(
            () => gitLab.NotesOf(Project, 42).Any() && netBox.VirtualMachines.All(vm => (string?)vm["status"]!["value"] == "active"),
            "The merge synced (every VM active, the MR note posted)",
            () => service.Output);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/deliveries?limit=100"))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Admin);
            using var deliveries = await service.Client.SendAsync(request);
            answers.Add(await deliveries.Content.ReadAsStringAsync());
        }

        Assert.Single(vault.RequestsTo("/v1/auth/approle/login"));
        Assert.Contains("[masked]", service.Output, StringComparison.Ordinal);
        var sent = netBox.Writes.Concat(gitLab.Writes).Select(w => $"{w.RequestMessage.Method} {w.RequestMessage.Path}: {w.RequestMessage.Body}").ToList();
        Assert.NotEmpty(sent);
        foreach (var secret in new[] { WebhookSecret, NetBoxToken, GitLabToken, SecretId, Admin }.Concat(vault.IssuedTokens))
        {
            Assert.False(service.Output.Contains(secret, StringComparison.Ordinal), $"A log line holds a secret:\n{service.Output}");
            Assert.DoesNotContain(answers, a => a.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(sent, s => s.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Service_VaultDown_RefusesToStartNamingVault()
    {
        var store = Path.Combine(Directory.CreateTempSubdirectory("nautilus-vault-webhooks-").FullName, "queue.db");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["VAULT_ADDR"] = "http://127.0.0.1:9",
                ["VAULT_ROLE_ID"] = RoleId,
                ["VAULT_SECRET_ID"] = SecretId,
                ["NAUTILUS_WEBHOOK_SECRET"] = "never-used-as-a-fallback",
                ["NAUTILUS_NETBOX_URL"] = "http://127.0.0.1:9",
                ["NAUTILUS_STORE"] = store,
            },
            "--Nautilus:Http:MaxRetries", "1",
            "--Nautilus:Http:BaseDelayMs", "10"));

        Assert.Contains("Vault at POST http://127.0.0.1:9/v1/auth/approle/login did not answer", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretId, error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(ServiceProcess service, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            "/webhooks/gitlab") { Content = Payloads.Json(Payloads.Merged("feature/dc1-refresh", iid: 42, projectId: Project)) };
        request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        request.Headers.Add("X-Gitlab-Token", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await service.Client.SendAsync(request);
    }
}
