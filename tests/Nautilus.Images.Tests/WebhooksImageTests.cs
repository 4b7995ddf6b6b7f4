using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Nautilus.Images.Tests.Support;
using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Images.Tests;

/// <summary>The webhooks image as users run it: its entrypoint and user, its port 8080, its store on a mounted /data.</summary>
[Trait("Category", "Images")]
public sealed class WebhooksImageTests
{
    private const string Secret = "image-test-webhook-secret";
    private const string Admin = "image-test-admin-token";
    private const int Port = 8080;

    [Fact]
    public async Task WebhooksImage_KilledAndRestartedOnTheSameData_ProcessesTheCommittedDelivery()
    {
        var uid = await TestImages.UserAsync(TestImages.Webhooks);
        var config = (await TestImages.InspectAsync(TestImages.Webhooks)).GetProperty("config");
        var entrypoint = config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()!).ToList();
        using var netBox = new NetBoxFake();
        netBox.AddVirtualMachine(1, "wp01-vm0", tags: ["wp:wp01"]);
        netBox.AddVirtualMachine(2, "wp01-vm1", tags: ["wp:wp01"]);
        var data = Directory.CreateTempSubdirectory("nautilus-image-data-").FullName;
        var chown = await Tools.RunAsync("chown", [$"{uid}:{uid}", data]);
        Assert.True(chown.ExitCode == 0, chown.Err);
        using var port = await HostPort.AcquireAsync(Port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };

        // First NetBox is down, so the delivery can only be acknowledged and kept, not processed.
        long id;
        await using (var first = await Container.FromAsync(TestImages.Webhooks))
        {
            await using var service = await first.StartAsync(entrypoint, Environment($"http://127.0.0.1:{ClosedPort()}"), [$"{data}:/data"]);
            await WaitReadyAsync(client, service);

            using (var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            Assert.Equal(uid, service.UidOf("nautilus-webhooks.dll"));
            using var request = new HttpRequestMessage(HttpMethod.Post,
                "/webhooks/gitlab") { Content = Payloads.Json(Payloads.Merged("feature/wp01", iid: 7)) };
            request.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
            request.Headers.Add("X-Gitlab-Token", Secret);
            using var posted = await client.SendAsync(request);
            var receipt = await posted.Content.ReadAsStringAsync();
            Assert.True(posted.StatusCode == HttpStatusCode.Accepted, $"{(int)posted.StatusCode} {receipt}\n{service.Output}");
            id = JsonDocument.Parse(receipt).RootElement.GetProperty("id").GetInt64();

            var stored = await DeliveryAsync(client, id);
            Assert.True(stored.Status is "pending" or "processing", $"delivery {id} is {stored.Status} while NetBox is down");
            Assert.Equal(uid, await JobFolder.OwnerAsync(Path.Combine(data, "nautilus-webhooks.db")));
            await service.KillAsync();
        }

        await using var second = await Container.FromAsync(TestImages.Webhooks);
        await using var restarted = await second.StartAsync(entrypoint, Environment(netBox.Url), [$"{data}:/data"]);
        await WaitReadyAsync(client, restarted);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var delivery = await DeliveryAsync(client, id);
        while (delivery.Status != "done" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            delivery = await DeliveryAsync(client, id);
        }

        Assert.True(delivery.Status == "done", $"delivery {id} is {delivery.Status} ({delivery.LastError}) after the restart:\n{restarted.Output}");
        Assert.All(netBox.VirtualMachines, vm => Assert.Equal("active", (string?)vm["status"]!["value"]));
        Assert.Equal(2, netBox.JournalEntries.Count);
        Directory.Delete(data, recursive: true);
    }

    private static Dictionary<string, string> Environment(string netBoxUrl) => new()
    {
        ["NAUTILUS_NETBOX_URL"] = netBoxUrl,
        ["NAUTILUS_NETBOX_TOKEN"] = "0123456789abcdef0123456789abcdef01234567",
        ["NAUTILUS_WEBHOOK_SECRET"] = Secret,
        ["NAUTILUS_ADMIN_TOKEN"] = Admin,
        ["NAUTILUS_SYNC_ON"] = "merge",
    };

    private static async Task WaitReadyAsync(HttpClient client, ContainerProcess service)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(service.HasExited, $"the container exited before it was ready:\n{service.Output}");
            try
            {
                using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the service did not answer /readyz with 200 on port {Port} within 2 minutes:\n{service.Output}");
    }

    private static async Task<Delivery> DeliveryAsync(HttpClient client, long id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/deliveries/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /deliveries/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Delivery>(JsonSerializerOptions.Web))!;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Delivery(long Id, string Status, int Attempts, string? LastError);
}
