using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Nautilus.Core.Vault;

/// <summary>
/// The service's token keeper: logs in at start, then renews the Vault token before it expires (at two
/// thirds of its TTL), logging in again when renewal is refused, so secrets can be re-read at any time.
/// Failures are logged and retried with back-off; the token's own expiry is the deadline.
/// </summary>
public sealed class VaultTokenRenewalService(VaultClient client, TimeProvider time, ILogger<VaultTokenRenewalService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>Raised once the wait for the next renewal has begun (its timer exists), with the due time.</summary>
    internal event Action<DateTimeOffset>? Scheduled;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset due;
            try
            {
                var next = await client.RenewIfDueAsync(stoppingToken).ConfigureAwait(false);
                failures = 0;
                if (next is null)
                {
                    logger.LogInformation("The Vault token does not expire (or cannot be renewed); no renewal scheduled");
                    return;
                }

                due = next.Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever failed (Vault down, a refused login, a wrapped HTTP error), the loop must live on: a dead
                // renewal loop lets the token expire silently and every later secret read fails.
                ex = NautilusException.Find(ex) ?? ex;
                failures++;
                var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 5 * Math.Pow(2, failures - 1)));
                logger.LogError("Vault token renewal failed (attempt {Attempt}): {Reason}; retrying in {Backoff}", failures, ex.Message, backoff);
                due = time.GetUtcNow() + backoff;
            }

            var delay = due - time.GetUtcNow();
            var wait = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, stoppingToken);
            Scheduled?.Invoke(due);
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
