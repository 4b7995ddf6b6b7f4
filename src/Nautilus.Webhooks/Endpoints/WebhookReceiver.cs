using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Nautilus.Core.Secrets;
using Nautilus.Webhooks.Handlers;
using Nautilus.Webhooks.Queue;
using Nautilus.Webhooks.Worker;

namespace Nautilus.Webhooks.Endpoints;

/// <summary>
/// POST /webhooks/gitlab (docs/design.md §8): authenticate, bound the body, parse, classify, persist, then answer.
/// GitLab waits 10 s and disables a hook after repeated failures (docs/design.md §8.1), so nothing here talks to
/// NetBox or GitLab, and no input answers 500.
/// </summary>
public sealed partial class WebhookReceiver(
    IDeliveryStore store,
    QueueSignal signal,
    ISecretSource secrets,
    WebhookOptions options,
    WebhookMetrics metrics,
    TimeProvider time,
    ILogger<WebhookReceiver> logger)
{
    private const int MaxHeaderKey = 200;

    public async Task<IResult> ReceiveAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var eventName = request.Headers["X-Gitlab-Event"].ToString();
        var metricEvent = WebhookMetrics.EventLabel(eventName);

        var accepted = await AcceptedSecretsAsync(cancellationToken).ConfigureAwait(false);
        if (!WebhookAuthentication.TokenMatches(request.Headers["X-Gitlab-Token"].ToString(), accepted))
        {
            metrics.Received(metricEvent, "unauthorized");
            Log.Unauthorized(logger, request.Headers.ContainsKey("X-Gitlab-Token"));
            return Error(StatusCodes.Status401Unauthorized, "X-Gitlab-Token is missing or does not match the configured secret.");
        }

        if (request.ContentLength > options.MaxBodyBytes)
        {
            metrics.Received(metricEvent, "too_large");
            return Error(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {options.MaxBodyBytes} bytes.");
        }

        var body = await ReadBodyAsync(context, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            metrics.Received(metricEvent, "too_large");
            return Error(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {options.MaxBodyBytes} bytes.");
        }

        var signingToken = await secrets.GetAsync(SecretName.WebhookSigningToken, cancellationToken).ConfigureAwait(false);
        if (signingToken is { Length: > 0 } && WebhookAuthentication.SigningTokenProblem(signingToken) is { } misconfigured)
        {
            // Startup refuses such a token; this one arrived later (rotated in Vault). Our fault, not the sender's:
            // 503 makes GitLab retry once the token is fixed, where 401 would count against the hook.
            metrics.Received(metricEvent, "unavailable");
            Log.BadSigningToken(logger, misconfigured);
            return Error(StatusCodes.Status503ServiceUnavailable,
                "The service's webhook signing token is misconfigured; nothing was stored. Resend the delivery later.");
        }

        if (signingToken is { Length: > 0 }
            && WebhookAuthentication.SignatureProblem(
                signingToken,
                request.Headers["webhook-id"].ToString(),
                request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(),
                body,
                time.GetUtcNow(),
                options.SignatureTolerance) is { } problem)
        {
            metrics.Received(metricEvent, "unauthorized");
            Log.BadSignature(logger, problem);
            return Error(StatusCodes.Status401Unauthorized, problem + ".");
        }

        Classification classification;
        try
        {
            using var document = JsonDocument.Parse(body);
            classification = GitLabEvents.Classify(eventName, document.RootElement, options.SyncOn, options.BranchPrefix, options.Branching);
        }
        catch (JsonException ex)
        {
            metrics.Received(metricEvent, "invalid");
            Log.Rejected(logger, eventName, $"the body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})");
            return Error(StatusCodes.Status400BadRequest, $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}).");
        }

        if (classification.Invalid is { } invalid)
        {
            metrics.Received(metricEvent, "invalid");
            Log.Rejected(logger, eventName, invalid);
            return Error(StatusCodes.Status400BadRequest, invalid + ".");
        }

        if (classification.Job is not { } job)
        {
            metrics.Received(metricEvent, "ignored");
            Log.Ignored(logger, eventName, classification.Ignored!);
            return TypedResults.Json(new ReceiptResponse(null, "ignored", classification.Ignored), statusCode: StatusCodes.Status202Accepted);
        }

        EnqueueResult result;
        try
        {
            result = await store.EnqueueAsync(new NewDelivery(DedupKey(request.Headers, body), eventName, job.Kind, body, time.GetUtcNow()), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            metrics.Received(metricEvent, "unavailable");
            Log.StoreDown(logger, ex);
            context.Response.Headers.RetryAfter = "5";
            return Error(StatusCodes.Status503ServiceUnavailable, "The delivery store is unavailable; nothing was stored. Resend the delivery later.");
        }

        if (result.Duplicate)
        {
            metrics.Received(metricEvent, "duplicate");
            Log.Duplicate(logger, result.Id);
            return TypedResults.Json(new ReceiptResponse(result.Id, "duplicate", null), statusCode: StatusCodes.Status200OK);
        }

        metrics.Received(metricEvent, "accepted");
        signal.Notify();
        Log.Accepted(logger, result.Id, eventName, job.Kind);
        return TypedResults.Json(new ReceiptResponse(result.Id, "accepted", null), statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Idempotency-Key is stable across GitLab's retries and manual resends (17.4+); before that, the event and webhook
    /// UUIDs together identify one delivery of one hook; without any of them, the body itself (docs/design.md §8.1).
    /// </summary>
    public static string DedupKey(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var idempotency = headers["Idempotency-Key"].ToString().Trim();
        if (idempotency.Length > 0)
        {
            return Bounded("idempotency:", idempotency);
        }

        var eventUuid = headers["X-Gitlab-Event-UUID"].ToString().Trim();
        var webhookUuid = headers["X-Gitlab-Webhook-UUID"].ToString().Trim();
        if (eventUuid.Length > 0 && webhookUuid.Length > 0)
        {
            return Bounded("event:", $"{eventUuid}/{webhookUuid}");
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
    }

    private static string Bounded(string prefix, string value) =>
        value.Length <= MaxHeaderKey ? prefix + value : prefix + "sha256:"
            + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));

    private async Task<IReadOnlyList<string>> AcceptedSecretsAsync(CancellationToken cancellationToken)
    {
        var configured = await secrets.GetAsync(SecretName.WebhookSecret, cancellationToken).ConfigureAwait(false);
        return configured is null ? [] : configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Reads at most the limit; null when the body is larger (chunked bodies carry no Content-Length).</summary>
    private async Task<byte[]?> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxBodyBytes + 1;
        }

        var buffer = new ArrayBufferWriter<byte>(context.Request.ContentLength is { } length and > 0 ? (int)Math.Min(length, options.MaxBodyBytes) : 16 * 1024);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(64 * 1024);
                var read = await context.Request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.WrittenSpan.ToArray();
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > options.MaxBodyBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static IResult Error(int status, string message) =>
        TypedResults.Json(new ErrorResponse(message), statusCode: status);

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Refused a delivery: X-Gitlab-Token {State}")]
        private static partial void Unauthorized(ILogger logger, string state);

        public static void Unauthorized(ILogger logger, bool present) => Unauthorized(logger, present ? "does not match" : "is missing");

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Refused a delivery: {Problem}")]
        public static partial void BadSignature(ILogger logger, string problem);

        [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Answered 400 to a {Event} delivery: {Reason}")]
        public static partial void Rejected(ILogger logger, string @event, string reason);

        [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Ignored a {Event} delivery: {Reason}")]
        public static partial void Ignored(ILogger logger, string @event, string reason);

        [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "The delivery store is unavailable; answered 503")]
        public static partial void StoreDown(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Refused a delivery with 503: {Problem}")]
        public static partial void BadSigningToken(ILogger logger, string problem);

        [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "Delivery {DeliveryId} was already received; not processed again")]
        public static partial void Duplicate(ILogger logger, long deliveryId);

        [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Accepted delivery {DeliveryId} ({Event}, {Kind})")]
        public static partial void Accepted(ILogger logger, long deliveryId, string @event, string kind);
    }
}

public sealed record ReceiptResponse(long? Id, string Status, string? Reason);

public sealed record ErrorResponse(string Error);
