using Prometheus;

namespace Nautilus.Webhooks.Worker;

/// <summary>Prometheus metrics of docs/design.md §8: deliveries by event and outcome, queue depth, job duration and attempts.</summary>
public sealed class WebhookMetrics
{
    private readonly Counter _deliveries;
    private readonly Counter _jobs;
    private readonly Histogram _duration;
    private readonly Histogram _attempts;

    public WebhookMetrics()
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        _deliveries = factory.CreateCounter("nautilus_webhook_deliveries_total",
            "Webhook deliveries received, by event and outcome (accepted, duplicate, ignored, invalid, unauthorized, too_large, unavailable).", "event",
            "outcome");
        _jobs = factory.CreateCounter("nautilus_webhook_jobs_total",
            "Delivery processing attempts, by job kind and outcome (processed, retried, dead_lettered, lease_lost, interrupted).", "kind", "outcome");
        _duration = factory.CreateHistogram("nautilus_webhook_job_duration_seconds", "Time one processing attempt took.", new HistogramConfiguration
        {
            LabelNames = ["kind"],
            Buckets = Histogram.ExponentialBuckets(0.01, 2, 14),
        });
        _attempts = factory.CreateHistogram("nautilus_webhook_job_attempts", "The attempt number of each processing attempt.", new HistogramConfiguration
        {
            LabelNames = ["kind"],
            Buckets = [1, 2, 3, 5, 8, 12, 20],
        });
        QueueDepth = factory.CreateGauge("nautilus_webhook_queue_depth", "Deliveries in the store by status.", "status");
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Gauge QueueDepth { get; }

    public void Received(string eventLabel, string outcome) => _deliveries.WithLabels(eventLabel, outcome).Inc();

    public void Job(string kind, string outcome, TimeSpan duration, int attempt)
    {
        _jobs.WithLabels(kind, outcome).Inc();
        _duration.WithLabels(kind).Observe(duration.TotalSeconds);
        _attempts.WithLabels(kind).Observe(attempt);
    }

    /// <summary>A bounded label: the header is client-controlled and would otherwise create a series per value.</summary>
    public static string EventLabel(string? header) => header switch
    {
        "Push Hook" => "push",
        "Merge Request Hook" => "merge_request",
        "Pipeline Hook" => "pipeline",
        null or "" => "none",
        _ => "other",
    };
}
