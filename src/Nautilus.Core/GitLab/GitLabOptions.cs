using Microsoft.Extensions.Configuration;
using Nautilus.Core.Configuration;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.GitLab;

/// <summary>How a token is presented (docs.gitlab.com/api/rest/authentication/).</summary>
public enum GitLabTokenKind
{
    /// <summary>No token: only public projects answer.</summary>
    None,

    /// <summary>A personal, project or group access token, sent as PRIVATE-TOKEN.</summary>
    Private,

    /// <summary>CI_JOB_TOKEN, sent as JOB-TOKEN; GitLab accepts it on a short allowlist of endpoints only.</summary>
    Job,
}

public sealed record GitLabOptions
{
    /// <summary>The API root, ending in /api/v4/.</summary>
    public required Uri ApiUrl { get; init; }

    public string? Token { get; init; }

    public GitLabTokenKind TokenKind { get; init; }

    /// <summary>Where <see cref="Token"/> came from, named in error messages ("NAUTILUS_GITLAB_TOKEN", "CI_JOB_TOKEN").</summary>
    public string TokenOrigin { get; init; } = "NAUTILUS_GITLAB_TOKEN";

    /// <summary>
    /// Where an access token (<see cref="GitLabTokenKind.Private"/>) is read from on each request; after a 401/403 it is
    /// read again (rotation). Without it, <see cref="Token"/> is sent as given.
    /// </summary>
    public ISecretSource? Secrets { get; init; }

    public ResilienceSettings Resilience { get; init; } = ResilienceSettings.Default;

    /// <summary>The instance root (without /api/v4), for links shown to people.</summary>
    public Uri WebUrl => new(ApiUrl, "../../");

    public static Uri ApiUrlOf(string url)
    {
        if (!Uri.TryCreate(url.Trim().TrimEnd('/'), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            throw NautilusException.Usage($"GitLab URL '{url}' is not an http(s) URL. Set NAUTILUS_GITLAB_URL to the instance root, e.g. " +
                $"https://gitlab.example.com.");
        }

        var text = parsed.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (!text.EndsWith("/api/v4", StringComparison.OrdinalIgnoreCase))
        {
            text += "/api/v4";
        }

        return new Uri(text + "/");
    }

    /// <summary>
    /// NAUTILUS_GITLAB_URL, else CI_SERVER_URL, else CI_API_V4_URL; the token from the secret source
    /// (NAUTILUS_GITLAB_TOKEN or Vault) as PRIVATE-TOKEN, else CI_JOB_TOKEN as JOB-TOKEN.
    /// </summary>
    public static async Task<GitLabOptions> ResolveAsync(
        IConfiguration configuration,
        CiEnvironment ci,
        ISecretSource secrets,
        ResilienceSettings resilience,
        CancellationToken cancellationToken)
    {
        var url = configuration["Nautilus:GitLab:Url"] is { Length: > 0 } configured ? configured
            : ci.ServerUrl is { Length: > 0 } server ? server
            : ci.ApiV4Url;
        if (string.IsNullOrWhiteSpace(url))
        {
            throw NautilusException.Usage("No GitLab: set NAUTILUS_GITLAB_URL to the instance root (e.g. https://gitlab.example.com); in GitLab CI, " +
                "CI_SERVER_URL is used.");
        }

        var token = await secrets.GetAsync(SecretName.GitLabToken, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(token))
        {
            return new GitLabOptions { ApiUrl = ApiUrlOf(url), Token = token, TokenKind = GitLabTokenKind.Private, Secrets = secrets, Resilience = resilience };
        }

        if (!string.IsNullOrEmpty(ci.JobToken))
        {
            return new GitLabOptions { ApiUrl = ApiUrlOf(url), Token = ci.JobToken, TokenKind = GitLabTokenKind.Job, TokenOrigin = "CI_JOB_TOKEN",
                Resilience = resilience };
        }

        return new GitLabOptions { ApiUrl = ApiUrlOf(url), TokenKind = GitLabTokenKind.None, TokenOrigin = "no token", Resilience = resilience };
    }

    /// <summary>
    /// Creating and editing notes and issues, and pushing commits, need an access token: CI_JOB_TOKEN may only read
    /// (notes, files, state) and never write (docs.gitlab.com/ci/jobs/ci_job_token/, docs/design.md §13).
    /// Fail before the first request.
    /// </summary>
    /// <param name="purpose">What the token is for, starting the message ("Posting the plan note").</param>
    /// <param name="role">The least project role that does it (Reporter comments and opens issues; Developer pushes).</param>
    /// <param name="scope">The token scope it needs.</param>
    public void RequireWriteToken(string purpose, string role = "Reporter", string scope = "api")
    {
        if (TokenKind != GitLabTokenKind.Private)
        {
            throw NautilusException.Auth(
                $"{purpose} needs a GitLab access token with the {scope} scope, and " +
                    $"{(TokenKind == GitLabTokenKind.Job ? "only CI_JOB_TOKEN is set, which GitLab lets read but not write" : "no token is set")}. "
                + $"Create a project access token (role {role} or higher, scope {scope}) and expose it as NAUTILUS_GITLAB_TOKEN (a masked CI/CD variable) or " +
                    $"in Vault at nautilus/gitlab_token.");
        }
    }
}

/// <summary>A project as GitLab's :id accepts it: the numeric id or the full path (group/sub/project).</summary>
public sealed record GitLabProjectRef
{
    private GitLabProjectRef(string value) => Value = value;

    /// <summary>The id or the unescaped path; Refit escapes it into group%2Fproject.</summary>
    public string Value { get; }

    public bool IsNumeric => Value.All(char.IsAsciiDigit);

    public static GitLabProjectRef Parse(string? text, string origin)
    {
        var value = Uri.UnescapeDataString((text ?? "").Trim()).Trim('/');
        if (value.Length == 0)
        {
            throw NautilusException.Usage($"No GitLab project: pass --project <id|group/project> (in GitLab CI, CI_PROJECT_ID is used). ({origin})");
        }

        if (!value.All(char.IsAsciiDigit)
            && (!value.Contains('/', StringComparison.Ordinal) || value.Contains("//", StringComparison.Ordinal) || value.Any(char.IsWhiteSpace)))
        {
            throw NautilusException.Usage($"GitLab project '{text}' ({origin}) is neither a numeric id nor a full path like group/project.");
        }

        return new GitLabProjectRef(value);
    }

    public override string ToString() => Value;
}
