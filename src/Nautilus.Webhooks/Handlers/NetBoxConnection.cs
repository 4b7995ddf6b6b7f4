using Nautilus.Core.NetBox;
using Nautilus.Core.Secrets;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The one place the service makes its NetBox client: the token comes from <see cref="ISecretSource"/> when the
/// client is first needed, and after NetBox refused it (401/403) the next job reads it again (rotation, DESIGN §9).
/// </summary>
public sealed class NetBoxConnection(WebhookOptions options, ISecretSource secrets, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ServiceProvider> _retired = [];
    private ServiceProvider? _provider;
    private NetBoxClient? _client;

    public async Task<NetBoxClient> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _client) is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is not null)
            {
                return _client;
            }

            var token = await secrets.GetAsync(SecretName.NetBoxToken, cancellationToken).ConfigureAwait(false);
            var services = new ServiceCollection();
            services.AddSingleton(loggerFactory);
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            services.AddNetBox(new NetBoxOptions
            {
                BaseUrl = options.NetBoxUrl!,
                Token = token,
                BulkChunkSize = options.BulkChunkSize,
                Resilience = options.UpstreamResilience,
            });
            _provider = services.BuildServiceProvider();
            _client = _provider.GetRequiredService<NetBoxClient>();
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>NetBox refused the token: forget it and the client built with it.</summary>
    public void Invalidate()
    {
        secrets.Invalidate(SecretName.NetBoxToken);
        _gate.Wait();
        try
        {
            // Jobs running now may still hold the old client; its provider is disposed at shutdown, not here.
            if (_provider is not null)
            {
                _retired.Add(_provider);
            }

            _provider = null;
            _client = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _retired.Append(_provider).OfType<ServiceProvider>())
        {
            await provider.DisposeAsync().ConfigureAwait(false);
        }
    }
}
