using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nautilus.Testing;
using Nautilus.Webhooks.Queue;

namespace Nautilus.Webhooks.Tests.Support;

/// <summary>
/// The service in-process over its real SQLite store (a fresh file per test) and a NetBoxFake. Retries are
/// shortened so scenarios that fail and recover finish quickly; the logic is the production one.
/// </summary>
public sealed class WebhooksApp : WebApplicationFactory<Program>
{
    public const string Secret = "s3cret-webhook-token";
    public const string AdminToken = "admin-token-0123456789";

    private readonly Dictionary<string, string?> _settings;

    public WebhooksApp(NetBoxFake netBox, IDictionary<string, string?>? settings = null)
    {
        NetBox = netBox;
        Directory = System.IO.Directory.CreateTempSubdirectory("nautilus-webhooks-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Nautilus:NetBox:Url"] = netBox.Url,
            ["Nautilus:NetBox:Token"] = "0123456789abcdef0123456789abcdef01234567",
            ["Nautilus:Webhooks:Secret"] = Secret,
            ["Nautilus:Webhooks:AdminToken"] = AdminToken,
            ["Nautilus:Webhooks:Store"] = Path.Combine(Directory, "queue.db"),
            ["Nautilus:Http:MaxRetries"] = "1",
            ["Nautilus:Http:BaseDelayMs"] = "10",
            ["Nautilus:Webhooks:Worker:BaseDelay"] = "00:00:00.050",
            ["Nautilus:Webhooks:Worker:MaxDelay"] = "00:00:00.200",
            ["Nautilus:Webhooks:Worker:PollInterval"] = "00:00:00.050",
            ["Nautilus:Webhooks:LogLevel"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public NetBoxFake NetBox { get; }

    public string Directory { get; }

    public IDeliveryStore Store => Services.GetRequiredService<IDeliveryStore>();

    public async Task<HttpResponseMessage> PostAsync(string eventName, string body, string? idempotencyKey = null, string? token = Secret,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/gitlab") { Content = Payloads.Json(body) };
        request.Headers.Add("X-Gitlab-Event", eventName);
        if (token is not null)
        {
            request.Headers.Add("X-Gitlab-Token", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        configure?.Invoke(request);
        return await CreateClient().SendAsync(request);
    }

    /// <summary>Posts a delivery that must be accepted and answers its id.</summary>
    public async Task<long> AcceptAsync(string eventName, string body, string? idempotencyKey = null)
    {
        using var response = await PostAsync(eventName, body, idempotencyKey ?? Guid.NewGuid().ToString());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", receipt.GetProperty("status").GetString());
        return receipt.GetProperty("id").GetInt64();
    }

    /// <summary>Awaits the delivery reaching <paramref name="status"/> (done or failed) and answers it.</summary>
    public async Task<DeliverySummary> WaitForAsync(long id, string status = DeliveryStatus.Done) =>
        (await Eventually.ValueAsync(
            () => Store.GetAsync(id, CancellationToken.None),
            d => d?.Status == status,
            $"Delivery {id} reaching '{status}'",
            last => $"last seen: {last}"))!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Host settings are visible while the builder composes the service (the secret source is chosen there);
        // app configuration only once it is built. Both, so either way of reading sees the test's settings.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
