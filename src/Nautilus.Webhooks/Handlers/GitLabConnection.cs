using Nautilus.Core.Configuration;
using Nautilus.Core.GitLab;
using Nautilus.Core.Secrets;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The one place the service makes its GitLab client (token from <see cref="ISecretSource"/>, read again after a
/// 401/403). Null when NAUTILUS_GITLAB_URL is not set: the service then only syncs NetBox.
/// </summary>
public sealed class GitLabConnection(WebhookOptions options, IConfiguration configuration, ISecretSource secrets, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ServiceProvider> _retired = [];
    private ServiceProvider? _provider;
    private GitLabClient? _client;

    public async Task<GitLabClient?> GetAsync(CancellationToken cancellationToken)
    {
        if (options.GitLabUrl is null)
        {
            return null;
        }

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

            // A service has no CI job around it: no CI_* variables, no job token.
            var gitLabOptions = await GitLabOptions.ResolveAsync(configuration, new CiEnvironment(), secrets, options.UpstreamResilience, cancellationToken).ConfigureAwait(false);
            var services = new ServiceCollection();
            services.AddSingleton(loggerFactory);
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            services.AddGitLab(gitLabOptions);
            _provider = services.BuildServiceProvider();
            _client = _provider.GetRequiredService<GitLabClient>();
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate()
    {
        secrets.Invalidate(SecretName.GitLabToken);
        _gate.Wait();
        try
        {
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
