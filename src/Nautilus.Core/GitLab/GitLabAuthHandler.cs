using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.GitLab;

/// <summary>
/// Puts the token on each request. A job token goes in JOB-TOKEN, except on the Terraform state API,
/// which takes it only as HTTP basic auth with user gitlab-ci-token (gitlab lib/api/terraform/state.rb,
/// job_token_allowed: :basic_auth; research/gitlab.md §2.3). A secret-sourced token that GitLab refuses
/// is read again once, so a rotated token is picked up without a restart.
/// </summary>
public sealed class GitLabAuthHandler(GitLabOptions options) : DelegatingHandler
{
    private string? _token = options.Token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Apply(request, _token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized && options.Secrets is { } secrets && options.TokenKind == GitLabTokenKind.Private)
        {
            secrets.Invalidate(SecretName.GitLabToken);
            var fresh = await secrets.GetAsync(SecretName.GitLabToken, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(fresh) && fresh != _token)
            {
                _token = fresh;
                response.Dispose();
                using var retry = await CloneAsync(request, cancellationToken).ConfigureAwait(false);
                Apply(retry, fresh);
                return await base.SendAsync(retry, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    private void Apply(HttpRequestMessage request, string? token)
    {
        request.Headers.Remove("PRIVATE-TOKEN");
        request.Headers.Remove("JOB-TOKEN");
        request.Headers.Authorization = null;
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        switch (options.TokenKind)
        {
            case GitLabTokenKind.Private:
                request.Headers.TryAddWithoutValidation("PRIVATE-TOKEN", token);
                break;
            case GitLabTokenKind.Job when request.RequestUri?.AbsolutePath.Contains("/terraform/state/", StringComparison.Ordinal) == true:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("gitlab-ci-token:" + token)));
                break;
            case GitLabTokenKind.Job:
                request.Headers.TryAddWithoutValidation("JOB-TOKEN", token);
                break;
        }
    }

    private static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (request.Content is not null)
        {
            var bytes = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            clone.Content = new ByteArrayContent(bytes);
            foreach (var header in request.Content.Headers)
            {
                clone.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return clone;
    }
}
