using Nautilus.Core.Configuration;
using Nautilus.Core.GitLab;
using Nautilus.Core.Secrets;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The one place the service makes its GitLab client (token from <see cref="ISecretSource"/>, read again after a
/// 401/403). Null when NAUTILUS_GITLAB_URL is not set: the service then only syncs NetBox.
/// </summary>
public sealed class GitLabConnection(WebhookOptions options, IConfiguration configuration, ISecretSource secrets, ILoggerFactory loggerFactory)
    : UpstreamConnection<GitLabClient>(secrets, loggerFactory)
{
    protected override SecretName Secret => SecretName.GitLabToken;

    public async Task<GitLabClient?> GetAsync(CancellationToken cancellationToken) =>
        options.GitLabUrl is null ? null : await GetClientAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task RegisterAsync(IServiceCollection services, ISecretSource secrets, CancellationToken cancellationToken)
    {
        // A service has no CI job around it: no CI_* variables, no job token.
        var gitLabOptions = await GitLabOptions.ResolveAsync(configuration, new CiEnvironment(), secrets, options.UpstreamResilience, cancellationToken).ConfigureAwait(false);
        services.AddGitLab(gitLabOptions);
    }
}
