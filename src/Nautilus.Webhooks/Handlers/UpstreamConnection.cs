using Nautilus.Core.Secrets;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// A client built lazily with a token from <see cref="ISecretSource"/>, and rebuilt with a freshly read token
/// after the upstream refused it (401/403): rotation without restart (DESIGN §9). One per upstream.
/// </summary>
public abstract class UpstreamConnection<TClient>(ISecretSource secrets, ILoggerFactory loggerFactory) : IAsyncDisposable
    where TClient : class
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ServiceProvider> _retired = [];
    private ServiceProvider? _provider;
    private TClient? _client;

    /// <summary>The secret this upstream's token is.</summary>
    protected abstract SecretName Secret { get; }

    /// <summary>Registers the typed client, reading what it needs (the token) from the secret source.</summary>
    protected abstract Task RegisterAsync(IServiceCollection services, ISecretSource secrets, CancellationToken cancellationToken);

    protected async Task<TClient> GetClientAsync(CancellationToken cancellationToken)
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

            var services = new ServiceCollection();
            services.AddSingleton(loggerFactory);
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            await RegisterAsync(services, secrets, cancellationToken).ConfigureAwait(false);
            _provider = services.BuildServiceProvider();
            _client = _provider.GetRequiredService<TClient>();
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The upstream refused the token: forget it and the client built with it.</summary>
    public void Invalidate()
    {
        secrets.Invalidate(Secret);
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

        GC.SuppressFinalize(this);
    }
}
