using Nautilus.Core;
using Nautilus.Core.Secrets;
using Nautilus.Webhooks.Handlers;
using Nautilus.Webhooks.Queue;

namespace Nautilus.Webhooks.Worker;

/// <summary>
/// Leases deliveries and runs them, <see cref="WorkerOptions.Concurrency"/> at a time. Transient failures (5xx, 429,
/// timeouts, NetBox down) are retried with exponential back-off and jitter, never sooner than Retry-After; NetBox
/// validation errors and bad documents are dead-lettered at once with the reason; anything else is dead-lettered
/// after <see cref="WorkerOptions.MaxAttempts"/>.
/// </summary>
public sealed partial class DeliveryWorker(
    IDeliveryStore store,
    DeliveryDispatcher dispatcher,
    QueueSignal signal,
    WebhookOptions options,
    WebhookMetrics metrics,
    SecretRedactor redactor,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>
    /// Unique per process; each worker loop leases as "{Owner}/{loop}", so a fenced write fails once any other
    /// loop, in this replica or another, took the lease over.
    /// </summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Worker.Enabled)
        {
            Log.Disabled(logger);
            return Task.CompletedTask;
        }

        var loops = Enumerable.Range(0, options.Worker.Concurrency)
            .Select(i => Task.Run(() => LoopAsync($"{Owner}/{i}", stoppingToken), CancellationToken.None)).ToList();
        loops.Add(Task.Run(() => PurgeLoopAsync(stoppingToken), CancellationToken.None));
        return Task.WhenAll(loops);
    }

    private async Task LoopAsync(string owner, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var leased = await store.LeaseAsync(owner, 1, options.Worker.Lease, stoppingToken).ConfigureAwait(false);
                if (leased.Count == 0)
                {
                    await signal.WaitAsync(options.Worker.PollInterval, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var delivery in leased)
                {
                    await ProcessAsync(delivery, owner, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreUnavailableException ex)
            {
                Log.StoreDown(logger, ex);
                await DelayAsync(options.Worker.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ProcessAsync(LeasedDelivery delivery, string owner, CancellationToken stoppingToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["DeliveryId"] = delivery.Id,
            ["Event"] = delivery.Event,
            ["Kind"] = delivery.Kind,
            ["Attempt"] = delivery.Attempts,
        });
        var started = time.GetTimestamp();
        string outcome;

        // The lease is short; a heartbeat renews it while the job runs, so a long job keeps it and a replica that
        // dies stops renewing and its work is taken over about a lease later. Losing the lease cancels the job.
        using var leaseLost = new CancellationTokenSource();
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = Task.Run(() => HeartbeatAsync(delivery.Id, owner, leaseLost, heartbeatStop.Token), CancellationToken.None);
        try
        {
            using var timeout = new CancellationTokenSource(options.Worker.JobTimeout, time);
            using var job = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token, timeout.Token);
            await dispatcher.DispatchAsync(new DeliveryContext(delivery, store, owner), job.Token).ConfigureAwait(false);
            await StopAsync(heartbeatStop, heartbeat).ConfigureAwait(false);
            outcome = await store.CompleteAsync(delivery.Id, owner, CancellationToken.None).ConfigureAwait(false) ? "processed" : "lease_lost";
            Log.Processed(logger, delivery.Id, time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down (Refit wraps cancellation, so any shape): give the delivery back now rather than at
            // lease expiry; a shutdown is not the delivery's failure.
            await StopAsync(heartbeatStop, heartbeat).ConfigureAwait(false);
            await store.RetryLaterAsync(delivery.Id, owner, time.GetUtcNow(), "interrupted by shutdown", CancellationToken.None).ConfigureAwait(false);
            outcome = "interrupted";
        }
        catch (Exception ex) when (leaseLost.IsCancellationRequested || ex is LeaseLostException)
        {
            // Another worker holds the delivery now: stop without writing more; it resumes from the checkpoint.
            Log.LeaseLost(logger, $"The lease on delivery {delivery.Id} was lost; another worker has taken it over.");
            outcome = "lease_lost";
        }
        catch (Exception ex)
        {
            await StopAsync(heartbeatStop, heartbeat).ConfigureAwait(false);
            outcome = await FailAsync(delivery, owner, ex).ConfigureAwait(false);
        }
        finally
        {
            await StopAsync(heartbeatStop, heartbeat).ConfigureAwait(false);
        }

        metrics.Job(delivery.Kind, outcome, time.GetElapsedTime(started), delivery.Attempts);
    }

    /// <summary>
    /// Renews the lease every <see cref="WorkerOptions.HeartbeatInterval"/>. Cancels <paramref name="leaseLost"/> when
    /// the store says another worker took it over, or when the store stayed unreachable until the lease ran out
    /// (another replica may then take it over, so this one must stop first).
    /// </summary>
    private async Task HeartbeatAsync(long id, string owner, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var heldUntil = time.GetUtcNow() + options.Worker.Lease;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Worker.HeartbeatInterval, time, stop).ConfigureAwait(false);
                var asked = time.GetUtcNow();
                if (!await store.RenewLeaseAsync(id, owner, options.Worker.Lease, stop).ConfigureAwait(false))
                {
                    await leaseLost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                heldUntil = asked + options.Worker.Lease;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Store down (or anything else): keep the job while the lease surely holds, then give up on it.
                Log.HeartbeatFailed(logger, ex, id);
                if (time.GetUtcNow() + options.Worker.HeartbeatInterval >= heldUntil)
                {
                    await leaseLost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private static async Task StopAsync(CancellationTokenSource heartbeatStop, Task heartbeat)
    {
        if (!heartbeatStop.IsCancellationRequested)
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
        }

        await heartbeat.ConfigureAwait(false);
    }

    private async Task<string> FailAsync(LeasedDelivery delivery, string owner, Exception ex)
    {
        var known = NautilusException.Find(ex);
        var reason = redactor.Redact(Describe(known ?? ex));
        var code = known?.Code;
        if (code is ExitCode.InvalidData or ExitCode.Usage)
        {
            Log.DeadLettered(logger, delivery.Id, reason);
            await store.DeadLetterAsync(delivery.Id, owner, reason, CancellationToken.None).ConfigureAwait(false);
            return "dead_lettered";
        }

        if (delivery.Attempts >= options.Worker.MaxAttempts)
        {
            reason = $"gave up after {delivery.Attempts} attempts: {reason}";
            Log.DeadLettered(logger, delivery.Id, reason);
            await store.DeadLetterAsync(delivery.Id, owner, reason, CancellationToken.None).ConfigureAwait(false);
            return "dead_lettered";
        }

        var wait = Backoff(delivery.Attempts, options.Worker);
        if (known?.RetryAfter is { } retryAfter && retryAfter > wait)
        {
            wait = retryAfter;
        }

        if (known is not null)
        {
            Log.Retrying(logger, delivery.Id, wait.TotalSeconds, reason);
        }
        else
        {
            Log.Unexpected(logger, ex, delivery.Id, wait.TotalSeconds);
        }

        await store.RetryLaterAsync(delivery.Id, owner, time.GetUtcNow() + wait, reason, CancellationToken.None).ConfigureAwait(false);
        return "retried";
    }

    /// <summary>Exponential back-off with "equal jitter": half the delay fixed, half random, so retries of many deliveries spread out.</summary>
    public static TimeSpan Backoff(int attempt, WorkerOptions worker)
    {
        var exponential = worker.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = Math.Min(exponential, worker.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    private static string Describe(Exception ex) => ex switch
    {
        NautilusException { Details.Count: > 0 } n when !n.Details.All(d => n.Message.Contains(d, StringComparison.Ordinal)) =>
            $"{n.Message} ({string.Join("; ", n.Details)})",
        NautilusException n => n.Message,
        OperationCanceledException => "the job did not finish within its time limit (Nautilus:Webhooks:Worker:JobTimeout)",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private async Task PurgeLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await store.PurgeAsync(time.GetUtcNow() - options.Retention, stoppingToken).ConfigureAwait(false);
                if (purged > 0)
                {
                    Log.Purged(logger, purged);
                }
            }
            catch (StoreUnavailableException ex)
            {
                Log.StoreDown(logger, ex);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await DelayAsync(TimeSpan.FromHours(1), stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Warning,
            Message = "The worker is disabled (Nautilus:Webhooks:Worker:Enabled=false): deliveries are stored, not processed")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Processed delivery {DeliveryId} in {Milliseconds:0} ms")]
        public static partial void Processed(ILogger logger, long deliveryId, double milliseconds);

        [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} failed; retrying in {Seconds:0.0} s: {Reason}")]
        public static partial void Retrying(ILogger logger, long deliveryId, double seconds, string reason);

        [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Delivery {DeliveryId} failed unexpectedly; retrying in {Seconds:0.0} s")]
        public static partial void Unexpected(ILogger logger, Exception exception, long deliveryId, double seconds);

        [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "Delivery {DeliveryId} dead-lettered: {Reason}")]
        public static partial void DeadLettered(ILogger logger, long deliveryId, string reason);

        [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "{Message}")]
        public static partial void LeaseLost(ILogger logger, string message);

        [LoggerMessage(EventId = 506, Level = LogLevel.Error, Message = "The delivery store is unavailable; the worker waits")]
        public static partial void StoreDown(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 508, Level = LogLevel.Warning,
            Message = "Could not renew the lease on delivery {DeliveryId}; the job stops if the lease runs out first")]
        public static partial void HeartbeatFailed(ILogger logger, Exception exception, long deliveryId);

        [LoggerMessage(EventId = 507, Level = LogLevel.Information, Message = "Purged {Count} processed deliveries past the retention period")]
        public static partial void Purged(ILogger logger, int count);
    }
}
