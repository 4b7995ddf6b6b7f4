using Nautilus.Core.NetBox;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The service's NetBox client, registered once (<see cref="WebhooksBuilder"/>). Its token comes from the secret source
/// on each request and is read again after NetBox refuses it, so a rotated token needs no restart.
/// </summary>
public sealed class NetBoxConnection(NetBoxClient client)
{
    public Task<NetBoxClient> GetAsync(CancellationToken cancellationToken) => Task.FromResult(client);

    public static NetBoxOptions OptionsFrom(WebhookOptions options) => new()
    {
        BaseUrl = options.NetBoxUrl!,
        BulkChunkSize = options.BulkChunkSize,
        Resilience = options.UpstreamResilience,
    };
}
