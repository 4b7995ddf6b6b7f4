using Nautilus.Core.NetBox;
using Nautilus.Core.Secrets;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The one place the service makes its NetBox client: the token comes from <see cref="ISecretSource"/> when the
/// client is first needed, and after NetBox refused it (401/403) the next job reads it again (rotation, DESIGN §9).
/// </summary>
public sealed class NetBoxConnection(WebhookOptions options, ISecretSource secrets, ILoggerFactory loggerFactory)
    : UpstreamConnection<NetBoxClient>(secrets, loggerFactory)
{
    protected override SecretName Secret => SecretName.NetBoxToken;

    public Task<NetBoxClient> GetAsync(CancellationToken cancellationToken) => GetClientAsync(cancellationToken);

    protected override async Task RegisterAsync(IServiceCollection services, ISecretSource secrets, CancellationToken cancellationToken)
    {
        var token = await secrets.GetAsync(SecretName.NetBoxToken, cancellationToken).ConfigureAwait(false);
        services.AddNetBox(new NetBoxOptions
        {
            BaseUrl = options.NetBoxUrl!,
            Token = token,
            BulkChunkSize = options.BulkChunkSize,
            Resilience = options.UpstreamResilience,
        });
    }
}
