using Nautilus.Webhooks.Worker;

namespace Nautilus.Webhooks.Tests;

/// <summary>The worker's retry delay on its own: exponential from BaseDelay, capped at MaxDelay, with equal jitter.</summary>
public sealed class WorkerBackoffTests
{
    private static readonly WorkerOptions Options = new() { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromMinutes(15) };

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(5, 80)]
    [InlineData(8, 640)]
    [InlineData(9, 900)]
    [InlineData(12, 900)]
    public void Backoff_Attempt_BetweenHalfAndAllOfTheCappedExponentialDelay(int attempt, int cappedSeconds)
    {
        var samples = Enumerable.Range(0, 500).Select(_ => DeliveryWorker.Backoff(attempt, Options)).ToList();

        Assert.All(samples, wait => Assert.InRange(wait.TotalSeconds, cappedSeconds / 2.0, cappedSeconds));

        // Equal jitter: half fixed, half random, so many deliveries failing together spread their retries.
        Assert.True(samples.Distinct().Count() > 400, "the random half of the delay does not vary");
        Assert.Contains(samples, w => w.TotalSeconds < cappedSeconds * 0.6);
        Assert.Contains(samples, w => w.TotalSeconds > cappedSeconds * 0.9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Backoff_AttemptBelowOne_CountsAsTheFirst(int attempt)
    {
        Assert.All(Enumerable.Range(0, 100), _ => Assert.InRange(DeliveryWorker.Backoff(attempt, Options).TotalSeconds, 2.5, 5));
    }

    [Fact]
    public void Backoff_HugeAttemptCount_StaysAtTheCapWithoutOverflow()
    {
        Assert.All(Enumerable.Range(0, 100),
            _ => Assert.InRange(DeliveryWorker.Backoff(int.MaxValue, Options), TimeSpan.FromMinutes(7.5), TimeSpan.FromMinutes(15)));
    }
}
