using Nautilus.Core.GitLab;
using Nautilus.Core.Secrets;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// The service's GitLab client, registered once (<see cref="WebhooksBuilder"/>), or null when NAUTILUS_GITLAB_URL is not
/// set: the service then only syncs NetBox. Its token comes from the secret source on each request and is read again
/// after GitLab refuses it, so a rotated token needs no restart.
/// </summary>
public sealed class GitLabConnection(GitLabClient? client)
{
    public Task<GitLabClient?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(client);

    /// <summary>A service has no CI job around it: no CI_* variables and no job token, only an access token.</summary>
    public static GitLabOptions OptionsFrom(WebhookOptions options, ISecretSource secrets) => new()
    {
        ApiUrl = GitLabOptions.ApiUrlOf(options.GitLabUrl!),
        TokenKind = GitLabTokenKind.Private,
        TokenOrigin = secrets.Describe(SecretName.GitLabToken),
        Secrets = secrets,
        Resilience = options.UpstreamResilience,
    };
}
