using System.Net;
using System.Text.Json;
using Nautilus.Core.Http;

namespace Nautilus.Core.Vault;

/// <summary>
/// Vault's failures, mapped once. Vault answers {"errors": ["…"]}: 400 for a bad login (unknown role,
/// invalid JWT, wrong secret ID), 403 "permission denied" for a token its policies do not allow (or an
/// expired/revoked token), 404 for a missing secret, 503 "Vault is sealed" (api-docs#http-status-codes).
/// </summary>
public sealed class VaultErrorHandler(VaultOptions options) : UpstreamErrorHandler
{
    protected override string Upstream => "Vault";

    protected override string UrlSetting => "VAULT_ADDR";

    protected override NautilusException? Map(HttpRequestMessage request, HttpResponseMessage response, string body)
    {
        var mapped = MapStatus(request, response, body);
        mapped?.Data[VaultClient.StatusKey] = (int)response.StatusCode;
        return mapped;
    }

    private NautilusException? MapStatus(HttpRequestMessage request, HttpResponseMessage response, string body)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        var errors = ErrorsOf(body);
        var status = (int)response.StatusCode;
        var isLogin = path.EndsWith("/login", StringComparison.Ordinal);
        var isSelf = path.EndsWith("/auth/token/lookup-self", StringComparison.Ordinal) || path.EndsWith("/auth/token/renew-self", StringComparison.Ordinal);
        var where = Where(request);

        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && errors.Contains("sealed", StringComparison.OrdinalIgnoreCase))
        {
            return NautilusException.Unavailable(
                $"Vault at {where} is sealed ({errors}). Unseal it (vault operator unseal) or point VAULT_ADDR at an unsealed node, then run again.");
        }

        if (isLogin && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return NautilusException.Auth($"Vault refused the {options.DescribeLogin} ({status}: {errors}) at {where}. {LoginHint()}");
        }

        if (isSelf && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return NautilusException.Auth(
                $"Vault rejected the token at {where} ({status}: {errors}): it is invalid, expired or revoked. " +
                (options.CanLogIn ? "Nautilus will log in again; if this persists, check the auth role's token_ttl."
                    : "Log in again (vault login) and set a fresh VAULT_TOKEN."));
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
            case HttpStatusCode.Forbidden:
                var secret = SecretPathOf(path);
                return NautilusException.Auth(
                    $"Vault denied reading {secret} at {where} ({status}: {errors}) to the {options.DescribeLogin}. " +
                    $"Grant the policy of that {(options.Method == VaultAuthMethod.Token ? "token" : "role")} read on it, e.g. path \"{secret}\" {{ " +
                        $"capabilities = [\"read\"] }}, or check that the token has not expired.");
            case HttpStatusCode.NotFound when path.Contains($"/{options.Mount}/data/", StringComparison.Ordinal) && errors == "no reason given":
                // KV v2 answers {"errors":[]} for a secret never written (or deleted): the caller decides.
                return null;
            case HttpStatusCode.NotFound:
                return NautilusException.InvalidData(
                    $"Vault has no route {where} ({errors}). Check NAUTILUS_VAULT_MOUNT (a KV v2 mount, default secret), VAULT_AUTH_PATH and VAULT_NAMESPACE.");
            case HttpStatusCode.BadRequest:
                return NautilusException.InvalidData($"Vault rejected {where} ({status}: {errors}).");
            default:
                return null;
        }
    }

    private string LoginHint() => options.Method switch
    {
        VaultAuthMethod.Jwt =>
            $"Check VAULT_AUTH_ROLE names a role of auth/{options.AuthMount} (vault list auth/{options.AuthMount}/role) whose bound_audiences and " +
                $"bound_claims " +
            "match the job's id_token (the id_tokens: aud must equal the role's bound_audiences), and that VAULT_ID_TOKEN holds that token.",
        VaultAuthMethod.AppRole =>
            $"Check VAULT_ROLE_ID and VAULT_SECRET_ID against auth/{options.AuthMount} (secret IDs expire and may be single-use: issue a new one with vault " +
                $"write -f auth/{options.AuthMount}/role/<role>/secret-id).",
        _ => "Check VAULT_TOKEN.",
    };

    private string Where(HttpRequestMessage request) =>
        options.Namespace is null ? $"{request.RequestUri}" : $"{request.RequestUri} (namespace {options.Namespace})";

    /// <summary>/v1/secret/data/nautilus/x → secret/data/nautilus/x, the path a policy names.</summary>
    private static string SecretPathOf(string path) => path.StartsWith("/v1/", StringComparison.Ordinal) ? path[4..] : path.TrimStart('/');

    /// <summary>Vault's {"errors": [...]} joined; a body that is not that is shown as a snippet.</summary>
    internal static string ErrorsOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array)
            {
                var list = errors.EnumerateArray().Select(e => e.ToString().ReplaceLineEndings(" ").Trim()).Where(e => e.Length > 0).ToList();
                return list.Count == 0 ? "no reason given" : string.Join("; ", list);
            }
        }
        catch (JsonException)
        {
        }

        var snippet = Snippet(body);
        return snippet.Length == 0 ? "no reason given" : snippet[2..];
    }
}
