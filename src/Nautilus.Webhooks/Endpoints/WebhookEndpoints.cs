using System.Security.Cryptography;
using System.Text;
using Nautilus.Webhooks.Queue;

namespace Nautilus.Webhooks.Endpoints;

public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapGitLabWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/gitlab",
            (HttpContext context, WebhookReceiver receiver, CancellationToken cancellationToken) => receiver.ReceiveAsync(context, cancellationToken));
        return app;
    }

    /// <summary>/healthz: the process answers. /readyz: the store answers too (a load balancer stops sending otherwise).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        app.MapGet("/readyz", async (IDeliveryStore store, CancellationToken cancellationToken) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await store.PingAsync(timeout.Token).ConfigureAwait(false);
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
            {
                return Results.Json(new { status = "unavailable", reason = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }

    /// <summary>
    /// Dead letters, listed and retried (docs/design.md §8), behind NAUTILUS_ADMIN_TOKEN as a bearer token. Without
    /// a configured token the endpoints do not exist (404).
    /// </summary>
    public static IEndpointRouteBuilder MapDeliveryAdmin(this IEndpointRouteBuilder app, string? adminToken)
    {
        if (string.IsNullOrEmpty(adminToken))
        {
            return app;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(adminToken));
        var group = app.MapGroup("/deliveries").AddEndpointFilter(async (context, next) =>
        {
            var header = context.HttpContext.Request.Headers.Authorization.ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected))
            {
                context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Json(new ErrorResponse("An admin bearer token (NAUTILUS_ADMIN_TOKEN) is required."),
                    statusCode: StatusCodes.Status401Unauthorized);
            }

            return await next(context).ConfigureAwait(false);
        });

        group.MapGet("/", async (string? status, int? limit, IDeliveryStore store, CancellationToken cancellationToken) =>
        {
            if (status is not null && !DeliveryStatus.All.Contains(status))
            {
                return Results.Json(new ErrorResponse($"status '{status}' is not one of {string.Join(", ", DeliveryStatus.All)}."),
                    statusCode: StatusCodes.Status400BadRequest);
            }

            var deliveries = await store.ListAsync(status, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken).ConfigureAwait(false);
            return Results.Ok(deliveries);
        });

        group.MapGet("/{id:long}", async (long id, IDeliveryStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } delivery
                ? Results.Ok(delivery)
                : Results.Json(new ErrorResponse($"No delivery {id}."), statusCode: StatusCodes.Status404NotFound));

        group.MapPost("/{id:long}/retry",
            async (long id, bool? acknowledge_conflicts, IDeliveryStore store, QueueSignal signal, CancellationToken cancellationToken) =>
        {
            // acknowledge_conflicts=true: an admin accepts that the work package's NetBox branch overwrites main's
            // conflicting changes when the retried merge delivery merges it.
            if (await store.RequeueAsync(id, acknowledge_conflicts == true, cancellationToken).ConfigureAwait(false))
            {
                signal.Notify();
                return Results.Json(new ReceiptResponse(id, "requeued", null), statusCode: StatusCodes.Status202Accepted);
            }

            return await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } delivery
                ? Results.Json(new ErrorResponse($"Delivery {id} is {delivery.Status}; only failed deliveries and those waiting to be retried are retried."),
                    statusCode: StatusCodes.Status409Conflict)
                : Results.Json(new ErrorResponse($"No delivery {id}."), statusCode: StatusCodes.Status404NotFound);
        });
        return app;
    }
}
