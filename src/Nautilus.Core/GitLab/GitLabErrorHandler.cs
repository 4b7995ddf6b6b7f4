using System.Net;
using System.Text.Json;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.GitLab;

/// <summary>
/// GitLab's failures, mapped once. GitLab answers 404 for projects the token cannot see, so a 404 names
/// both causes; 404 on a raw file or a Terraform state is an expected "absent" and passes through.
/// </summary>
public sealed class GitLabErrorHandler(GitLabOptions options) : UpstreamErrorHandler
{
    protected override string Upstream => "GitLab";

    protected override string UrlSetting => "NAUTILUS_GITLAB_URL (or CI_SERVER_URL)";

    protected override NautilusException? Map(HttpRequestMessage request, HttpResponseMessage response, string body)
    {
        var message = MessageOf(body);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return NautilusException.Auth(
                    $"GitLab refused the token from {OriginOf(request)} for {Describe(request)} (401{message}). "
                    + (options.TokenKind switch
                    {
                        GitLabTokenKind.Job => "CI_JOB_TOKEN is valid only while its job runs and only on GitLab's job-token allowlist (reading MRs, notes, " +
                            "files; not writing notes). Set NAUTILUS_GITLAB_TOKEN to a project access token with the api scope.",
                        GitLabTokenKind.None => "Set NAUTILUS_GITLAB_TOKEN to a project access token with the api scope.",
                        _ => "Check that NAUTILUS_GITLAB_TOKEN (or Vault nautilus/gitlab_token) is an unexpired, unrevoked access token with the api scope " +
                            "for this GitLab instance.",
                    }));
            case HttpStatusCode.Forbidden:
                return NautilusException.Auth(
                    $"GitLab denied {Describe(request)} to the token from {OriginOf(request)} (403{message}). "
                    + (options.TokenKind == GitLabTokenKind.Job
                        ? "CI_JOB_TOKEN cannot do this (docs.gitlab.com/ci/jobs/ci_job_token/); set NAUTILUS_GITLAB_TOKEN to a project access token with the " +
                            "api scope."
                        : "The token's user needs a higher role in this project (Reporter to comment, Developer to read Terraform state) or the api scope."));
            case HttpStatusCode.NotFound when IsExpectedAbsence(request):
                return null;
            case HttpStatusCode.NotFound:
                return NautilusException.InvalidData(
                    $"GitLab has no {Describe(request)} (404{message}). Check the project (numeric id or full path) and the merge request iid (the !number, " +
                        $"not the global id); GitLab also answers 404 when the token's user cannot see the project.");
            case HttpStatusCode.RequestEntityTooLarge:
                return NautilusException.InvalidData($"GitLab refused {Describe(request)} as too large (413{message}). A note body may hold at most " +
                    $"1,000,000 characters.");
            case HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict:
                return NautilusException.InvalidData($"GitLab rejected {Describe(request)} ({(int)response.StatusCode}{message}). Fix what GitLab names and " +
                    $"run again.");
            default:
                return null;
        }
    }

    /// <summary>Where the refused token came from: the secret source names Vault's path or the variable.</summary>
    private string OriginOf(HttpRequestMessage request) => SecretAuthenticationHandler.OriginOf(request) ?? options.TokenOrigin;

    /// <summary>Absent files and states are answers, not failures (GET only).</summary>
    private static bool IsExpectedAbsence(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        return request.Method == HttpMethod.Get
            && ((path.Contains("/repository/files/", StringComparison.Ordinal) && path.EndsWith("/raw", StringComparison.Ordinal))
                || path.Contains("/terraform/state/", StringComparison.Ordinal));
    }

    /// <summary>GitLab errors are {"message": "..."}, {"message": {"field": ["..."]}} or {"error": "..."}.</summary>
    internal static string MessageOf(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var key in new[] { "message", "error", "error_description" })
                {
                    if (doc.RootElement.TryGetProperty(key, out var value))
                    {
                        return ": " + Flatten(value);
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return Snippet(body);
    }

    private static string Flatten(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(Flatten)),
        JsonValueKind.Object => string.Join("; ", value.EnumerateObject().Select(p => $"{p.Name} {Flatten(p.Value)}")),
        _ => value.ToString(),
    };
}
