using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nautilus.Webhooks.Endpoints;

/// <summary>Constant-time checks of GitLab's secret token and of a Standard Webhooks signature.</summary>
public static class WebhookAuthentication
{
    /// <summary>
    /// X-Gitlab-Token is the secret itself, sent in plain text (docs/design.md §8.1). Both sides are hashed
    /// first so the comparison takes the same time whatever the lengths, and every configured secret is compared
    /// (no early exit) so timing does not tell which one matched.
    /// </summary>
    public static bool TokenMatches(string? presented, IReadOnlyList<string> secrets)
    {
        if (string.IsNullOrEmpty(presented) || secrets.Count == 0)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[32];
        Span<byte> expected = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), given);
        var match = false;
        foreach (var secret in secrets)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(secret), expected);
            match |= CryptographicOperations.FixedTimeEquals(given, expected);
        }

        return match;
    }

    /// <summary>
    /// Standard Webhooks (https://www.standardwebhooks.com/, the signing GitLab adopts for webhook_signing_token):
    /// webhook-signature holds space-separated "v1,&lt;base64&gt;" entries, each an HMAC-SHA256 over
    /// "{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64-decoded secret after its "whsec_" prefix.
    /// Answers null when valid, else why not. The token must be a valid secret (<see cref="SigningTokenProblem"/>).
    /// </summary>
    public static string? SignatureProblem(string signingToken, string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now,
        TimeSpan tolerance)
    {
        var key = SigningKey(signingToken) ?? throw new ArgumentException(SigningTokenProblem(signingToken), nameof(signingToken));
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return "webhook-id, webhook-timestamp and webhook-signature are required";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253402300799
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return "webhook-timestamp is missing, malformed or too far from now";
        }

        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(key, content);

        var match = false;
        foreach (var entry in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || entry[..comma] != "v1")
            {
                continue;
            }

            var candidate = new byte[32];
            if (Convert.TryFromBase64String(entry[(comma + 1)..], candidate, out var written) && written == 32)
            {
                match |= CryptographicOperations.FixedTimeEquals(candidate, expected);
            }
        }

        return match ? null : "webhook-signature does not match";
    }

    /// <summary>
    /// Null when <paramref name="signingToken"/> is a Standard Webhooks secret, else what is wrong. The spec's
    /// secrets are base64 (prefixed "whsec_"), and every conforming signer decodes them; a token that is not base64
    /// cannot be used by any sender, so it is a configuration error rather than a key of its own.
    /// </summary>
    public static string? SigningTokenProblem(string signingToken) =>
        SigningKey(signingToken) is { Length: > 0 }
            ? null
            : "the webhook signing token is not a Standard Webhooks secret (whsec_ followed by base64, as GitLab shows it); copy it from the webhook's " +
                "settings";

    private static byte[]? SigningKey(string signingToken)
    {
        var encoded = signingToken.StartsWith("whsec_", StringComparison.Ordinal) ? signingToken["whsec_".Length..] : signingToken;
        var key = new byte[(encoded.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(encoded, key, out var written) && written > 0 ? key[..written] : null;
    }
}
