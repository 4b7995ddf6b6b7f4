using System.Net;
using System.Text.Json;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;

namespace Nautilus.Core.NetBox;

/// <summary>NetBox's failures, mapped once (docs/design.md §2): 400 lists NetBox's field messages, 403 is failed auth.</summary>
public sealed class NetBoxErrorHandler : UpstreamErrorHandler
{
    protected override string Upstream => "NetBox";

    protected override string UrlSetting => "--netbox-url / NAUTILUS_NETBOX_URL";

    protected override NautilusException? Map(HttpRequestMessage request, HttpResponseMessage response, string body)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        var branching = path.StartsWith(BranchingPath, StringComparison.Ordinal);
        switch (response.StatusCode)
        {
            // Answers, not failures: the plugin is not installed; a sync/merge met conflicts (the caller reads them).
            case HttpStatusCode.NotFound when path == BranchingPath:
            case HttpStatusCode.Conflict when branching
                && (path.EndsWith("/merge/", StringComparison.Ordinal) || path.EndsWith("/sync/", StringComparison.Ordinal)):
                return null;

            // The plugin's middleware refuses work in a branch a job is busy with (syncing, merging…): it passes.
            case HttpStatusCode.BadRequest when body.Contains("is not ready for use", StringComparison.Ordinal):
                return NautilusException.Unavailable(
                    $"NetBox refused {Describe(request)}: {Snippet(body).TrimStart(':', ' ')}. Nautilus never works in a branch that is not ready; try again " +
                        $"once it is (its jobs are listed in NetBox).");
            case HttpStatusCode.Forbidden when branching && DetailOf(body).Contains("permission", StringComparison.OrdinalIgnoreCase):
                var permission = PermissionFor(request, path);
                return NautilusException.Auth(
                    $"NetBox refused {Describe(request)}{DetailOf(body)}. The token's user needs the permission {permission} (NetBox: Admin → Permissions, " +
                        $"object type netbox_branching | branch); grant it and run again.");
            case HttpStatusCode.BadRequest:
                var details = FieldMessages(body);
                return NautilusException.InvalidData(
                    $"NetBox rejected {Describe(request)}: {string.Join("; ", details.Select(d => d.TrimEnd('.')))}. Fix the data or the filter named above " +
                        $"in NetBox and run again.",
                    details);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when request.Headers.Authorization is null:
                // NetBox's own words for this are "Authentication credentials were not provided."
                return NautilusException.Auth(
                    $"No NetBox token is set, and NetBox requires one for {Describe(request)} ({(int)response.StatusCode}). Set " +
                        $"{SecretAuthenticationHandler.OriginOf(request) ?? "NAUTILUS_NETBOX_TOKEN"} to an API token (NetBox: your user → API Tokens).");
            case HttpStatusCode.Unauthorized:
            case HttpStatusCode.Forbidden:
                return NautilusException.Auth(
                    $"NetBox refused the token for {Describe(request)} ({(int)response.StatusCode}{DetailOf(body)}). Check " +
                        $"{SecretAuthenticationHandler.OriginOf(request) ?? "NAUTILUS_NETBOX_TOKEN"}: a v1 token is 40 characters (sent as 'Token …'), a v2 " +
                        $"token starts with 'nbt_' (sent as 'Bearer …'); it must be enabled, unexpired, allowed from this address, and write-enabled for " +
                        $"commands that change NetBox.");
            case HttpStatusCode.NotFound:
                return NautilusException.InvalidData($"NetBox has no such object or endpoint: {Describe(request)}{DetailOf(body)}. Check the id and that the " +
                    $"NetBox URL is the instance root (not /api).");
            case HttpStatusCode.Conflict:
            case HttpStatusCode.PreconditionFailed:
                return NautilusException.InvalidData($"NetBox refused {Describe(request)} ({(int)response.StatusCode}{DetailOf(body)}). Another change got " +
                    $"there first; run again.");
            default:
                return null;
        }
    }

    private const string BranchingPath = "/api/plugins/branching/";

    /// <summary>The permission each branch action checks (netbox_branching/api/views.py; the model's add/delete for the rest).</summary>
    private static string PermissionFor(HttpRequestMessage request, string path)
    {
        foreach (var action in new[] { "sync", "merge", "revert", "archive" })
        {
            if (path.EndsWith($"/{action}/", StringComparison.Ordinal))
            {
                return $"netbox_branching.{action}_branch";
            }
        }

        var verb = request.Method == HttpMethod.Post ? "add" : request.Method == HttpMethod.Delete ? "delete" : request.Method == HttpMethod.Get ? "view"
            : "change";
        return $"netbox_branching.{verb}_{(path.Contains("/changes/", StringComparison.Ordinal) ? "changediff" : "branch")}";
    }

    private static string DetailOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("detail", out var d))
            {
                // NetBox ends its details with a period ("Not found."); the messages add their own.
                return ": " + d.ToString().TrimEnd('.');
            }
        }
        catch (JsonException)
        {
        }

        return Snippet(body);
    }

    /// <summary>DRF's {"field": ["msg"]}, {"non_field_errors": [...]}, a bulk list of those, or 4.7's {"detail", "errors": [{"index", "errors"}]}.</summary>
    internal static List<string> FieldMessages(string body)
    {
        var messages = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            Collect(doc.RootElement, null, messages);
        }
        catch (JsonException)
        {
            messages.Add(body.Length > 300 ? body[..300] : body);
        }

        if (messages.Count == 0)
        {
            messages.Add("no reason given");
        }

        return messages;
    }

    private static void Collect(JsonElement element, string? prefix, List<string> messages)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in errors.EnumerateArray())
                    {
                        var index = item.TryGetProperty("index", out var i) ? $"[{i}] " : "";
                        Collect(item.TryGetProperty("errors", out var inner) ? inner : item, prefix + index, messages);
                    }

                    return;
                }

                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name is "non_field_errors" or "detail" ? prefix?.TrimEnd() : $"{prefix}{property.Name}";
                    Collect(property.Value, name is null ? null : name + ": ", messages);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, prefix, messages);
                }

                break;
            default:
                messages.Add($"{prefix}{element}");
                break;
        }
    }
}
