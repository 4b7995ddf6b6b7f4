using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nautilus.Core;
using Nautilus.Core.NetBox;
using Nautilus.Testing;
using Nautilus.Webhooks.Tests.Support;

namespace Nautilus.Webhooks.Tests;

/// <summary>
/// The service's upstream retries are set with the CLI's keys, Nautilus:Http:* (docs/design.md §9; the CLI side is
/// NetBoxReadTests.WpStatus_HttpMaxRetries_IsHowOftenARequestIsRetried), with the service's own defaults.
/// </summary>
public sealed class UpstreamRetryKeyTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public async Task NetBoxRequest_HttpMaxRetries_IsHowOftenItIsRetried(string retries)
    {
        using var netBox = new NetBoxFake();
        await using var app = new WebhooksApp(netBox, new Dictionary<string, string?>
        {
            ["Nautilus:Http:MaxRetries"] = retries,
            ["Nautilus:Webhooks:Worker:Enabled"] = "false",
        });
        var client = app.Services.GetRequiredService<NetBoxClient>();
        netBox.FailNext(10, HttpStatusCode.ServiceUnavailable, "<html>maintenance</html>", "/extras/tags/");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.FindTagAsync("wp-dc1-refresh", CancellationToken.None));

        Assert.Equal(ExitCode.UpstreamUnavailable, NautilusException.Find(error)?.Code);
        Assert.Equal(int.Parse(retries, System.Globalization.CultureInfo.InvariantCulture) + 1, netBox.RequestsTo("GET", "/extras/tags/").Count());
    }

    [Fact]
    public void Defaults_AreTheServicesOwn()
    {
        using var netBox = new NetBoxFake();
        using var app = new WebhooksApp(netBox, new Dictionary<string, string?> { ["Nautilus:Http:MaxRetries"] = null, ["Nautilus:Http:BaseDelayMs"] = null });

        var resilience = app.Services.GetRequiredService<WebhookOptions>().UpstreamResilience;

        Assert.Equal(WebhookOptions.DefaultUpstreamResilience, resilience);
        Assert.Equal(2, resilience.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), resilience.BaseDelay);
    }
}
