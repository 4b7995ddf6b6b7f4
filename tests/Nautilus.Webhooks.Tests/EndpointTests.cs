using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nautilus.Testing;
using Nautilus.Webhooks.Endpoints;
using Nautilus.Webhooks.Queue;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>Bad input never reaches the store or NetBox and never answers 500.</summary>
public sealed class EndpointTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-token")]
    [InlineData("s3cret-webhook-token ")]
    [InlineData("s3cret-webhook-tokeN")]
    public async Task Post_MissingOrWrongToken_Answers401AndStoresNothing(string? token)
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);

        using var response = await app.PostAsync("Merge Request Hook", Payloads.Merged("feature/dc1-refresh"), token: token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await app.Store.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal(0, netBox.RequestCount);
    }

    [Fact]
    public async Task Post_SecondOfRotatingSecrets_IsAccepted()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?> { ["Nautilus:Webhooks:Secret"] = "old-secret-1234, new-secret-5678" });

        using var response = await app.PostAsync("Push Hook", Payloads.BranchCreated("feature/x"), token: "new-secret-5678");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"object_kind\":\"push\",")]
    [InlineData("{\"object_kind\": \"merge_request\", \"object_attributes\": {\"action\": \"merge\"")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("{\"a\":1}}")]
    public async Task Post_MalformedOrTruncatedJson_Answers400(string body)
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);

        using var response = await app.PostAsync("Merge Request Hook", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.Store.ListAsync(null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Post_TruncatedRealPayload_Answers400()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);
        var body = Payloads.Merged("feature/dc1-refresh");

        using var response = await app.PostAsync("Merge Request Hook", body[..(body.Length / 2)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_ThirtyMegabyteBody_Answers413()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);
        var body = "{\"object_kind\":\"push\",\"padding\":\"" + new string('x', 30 * 1024 * 1024) + "\"}";

        using var response = await app.PostAsync("Push Hook", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await app.Store.ListAsync(null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Post_ChunkedBodyOverTheLimit_Answers413()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?> { ["Nautilus:Webhooks:MaxBodyBytes"] = "4096" });
        var body = "{\"padding\":\"" + new string('x', 10_000) + "\"}";

        // StreamContent without a length is sent chunked: the limit must hold while reading, not only on Content-Length.
        using var response = await app.PostAsync("Push Hook", "{}", configure: request =>
            request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) { Headers = { { "Content-Type", "application/json" } } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("Issue Hook")]
    [InlineData("Note Hook")]
    [InlineData("System Hook")]
    [InlineData("Weird \u00e9v\u00e9nement")]
    public async Task Post_UnknownEvent_Answers202IgnoredAndStoresNothing(string eventName)
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);

        using var response = await app.PostAsync(eventName, "{\"object_kind\":\"issue\"}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ignored", receipt.GetProperty("status").GetString());
        Assert.Empty(await app.Store.ListAsync(null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Post_MissingEventHeader_Answers400()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/gitlab") { Content = Payloads.Json(Payloads.Merged("feature/x")) };
        request.Headers.Add("X-Gitlab-Token", WebhooksApp.Secret);

        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("Push Hook", "{\"object_kind\":\"push\"}", "ref")]
    [InlineData("Push Hook", "{\"object_kind\":\"push\",\"ref\":\"refs/heads/feature/x\",\"before\":\"0000000000000000000000000000000000000000\"}", "after")]
    [InlineData("Merge Request Hook", "{\"object_kind\":\"merge_request\"}", "object_attributes")]
    [InlineData("Merge Request Hook", "{\"object_attributes\":{\"action\":\"merge\",\"source_branch\":\"feature/x\"}}", "target_branch")]
    [InlineData("Push Hook", "[1,2,3]", "not a JSON object")]
    [InlineData("Push Hook", "{\"ref\":42,\"before\":null,\"after\":[]}", "ref")]
    public async Task Post_MissingFields_Answers400NamingThem(string eventName, string body, string named)
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);

        using var response = await app.PostAsync(eventName, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.Store.ListAsync(null, 10, CancellationToken.None));
    }

    public static TheoryData<string> BadBranches => new()
    {
        "feature/../x",
        "feature/" + new string('a', 300),
        "feature/d\u00e9ploiement",
        "feature/\u6f22\u5b57",
        "feature/x/../../etc/passwd",
        "feature/UPPER",
        "feature/-leading-dash",
        "feature/",
        "main",
        "feature/x y",
        "feature/x\u0000y",
    };

    [Theory]
    [MemberData(nameof(BadBranches))]
    public async Task Post_BranchCreatedWithBadName_IsIgnoredAndNeverReachesNetBox(string branch)
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);

        using var response = await app.PostAsync("Push Hook", Payloads.BranchCreated(branch));
        using var merged = await app.PostAsync("Merge Request Hook", Payloads.Merged(branch));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ignored", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, merged.StatusCode);
        Assert.Equal("ignored", (await merged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Empty(await app.Store.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal(0, netBox.RequestCount);
    }

    [Fact]
    public async Task Post_SameDeliveryThreeTimes_FirstAccepted_ThenDuplicates()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?> { ["Nautilus:Webhooks:Worker:Enabled"] = "false" });
        var body = Payloads.Merged("feature/dc1-refresh");

        var answers = new List<(HttpStatusCode, long)>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await app.PostAsync("Merge Request Hook", body, idempotencyKey: "a5461c4d-9c7f-4af9-add6-cddebe3c426f");
            answers.Add((response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()));
        }

        Assert.Equal(HttpStatusCode.Accepted, answers[0].Item1);
        Assert.All(answers.Skip(1), a => Assert.Equal((HttpStatusCode.OK, answers[0].Item2), a));
        Assert.Single(await app.Store.ListAsync(null, 10, CancellationToken.None));
    }

    [Fact]
    public void DedupKey_PrefersIdempotencyKey_ThenEventAndWebhookUuids_ThenBodyHash()
    {
        var body = "{}"u8.ToArray();
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["X-Gitlab-Event-UUID"] = "9cebe914-4827-408f-b014-cfa23a47a35f",
            ["X-Gitlab-Webhook-UUID"] = "3c5c0404-c866-44bc-a5f6-452bb1bfc76e",
        };
        Assert.Equal("event:9cebe914-4827-408f-b014-cfa23a47a35f/3c5c0404-c866-44bc-a5f6-452bb1bfc76e", WebhookReceiver.DedupKey(headers, body));
        headers["Idempotency-Key"] = "a5461c4d-9c7f-4af9-add6-cddebe3c426f";
        Assert.Equal("idempotency:a5461c4d-9c7f-4af9-add6-cddebe3c426f", WebhookReceiver.DedupKey(headers, body));
        Assert.StartsWith("sha256:", WebhookReceiver.DedupKey(new Microsoft.AspNetCore.Http.HeaderDictionary(), body), StringComparison.Ordinal);
        headers["Idempotency-Key"] = new string('k', 5000);
        Assert.True(WebhookReceiver.DedupKey(headers, body).Length < 100);
    }

    [Theory]
    [InlineData("whsec_")]
    [InlineData("")]
    public async Task Post_WithSigningToken_AcceptsWhatAStandardWebhooksSignerSigns_RefusesBadOrStale(string prefix)
    {
        using var netBox = new NetBoxFake();
        var secret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?>
        {
            ["Nautilus:Webhooks:SigningToken"] = prefix + secret,
            ["Nautilus:Webhooks:Worker:Enabled"] = "false",
        });
        var body = Payloads.BranchCreated("feature/signed");
        var now = DateTimeOffset.UtcNow;

        // An independent signer (the StandardWebhooks package, after the spec's reference libraries), so the test
        // does not share the verifier's reading of the spec.
        var signer = new StandardWebhooks.StandardWebhook("whsec_" + secret);

        async Task<HttpStatusCode> Send(string id, DateTimeOffset timestamp, string signature)
        {
            using var response = await app.PostAsync("Push Hook", body, idempotencyKey: id, configure: r =>
            {
                r.Headers.Add("webhook-id", id);
                r.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                r.Headers.Add("webhook-signature", signature);
            });
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Accepted, await Send("msg_1", now, "v1,AAAA " + signer.Sign("msg_1", now, body)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("msg_2", now, signer.Sign("msg_1", now, body)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("msg_3", now.AddHours(-1), signer.Sign("msg_3", now.AddHours(-1), body)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("msg_4", now, "v1," + Convert.ToBase64String(new byte[32])));
        Assert.Equal(HttpStatusCode.Unauthorized,
            await Send("msg_5", now, new StandardWebhooks.StandardWebhook("whsec_" + Convert.ToBase64String(new byte[32])).Sign("msg_5", now, body)));
    }

    [Fact]
    public async Task HealthAndReadiness_Answer200()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_CountDeliveriesByEventAndOutcome_AndQueueDepth()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?> { ["Nautilus:Webhooks:Worker:Enabled"] = "false" });
        await app.AcceptAsync("Push Hook", Payloads.BranchCreated("feature/metrics"));
        (await app.PostAsync("Push Hook", "{}", token: "nope")).Dispose();

        var text = await app.CreateClient().GetStringAsync("/metrics");

        Assert.Contains("nautilus_webhook_deliveries_total{event=\"push\",outcome=\"accepted\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("nautilus_webhook_deliveries_total{event=\"push\",outcome=\"unauthorized\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("nautilus_webhook_queue_depth{status=\"pending\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_WithoutToken_Answers401_AndWithoutConfiguredToken_DoesNotExist()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox);
        await using var closed = new WebhooksApp(netBox, new Dictionary<string, string?> { ["Nautilus:Webhooks:AdminToken"] = null });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/deliveries?status=failed")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/deliveries?status=failed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await closed.CreateClient().GetAsync("/deliveries?status=failed")).StatusCode);
    }

    [Fact]
    public async Task Post_StoreUnavailable_Answers503()
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?> { ["Nautilus:Webhooks:Worker:Enabled"] = "false" });
        app.CreateClient().Dispose();
        var store = (SqliteDeliveryStore)app.Store;
        await store.DisposeAsync();

        using var response = await app.PostAsync("Push Hook", Payloads.BranchCreated("feature/down"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
