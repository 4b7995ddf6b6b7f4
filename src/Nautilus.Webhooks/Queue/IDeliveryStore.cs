namespace Nautilus.Webhooks.Queue;

/// <summary>
/// The durable queue of accepted deliveries. A delivery is acknowledged only after <see cref="EnqueueAsync"/>
/// returns, i.e. after its commit. Workers lease deliveries for a short time and renew the lease while the job
/// runs (<see cref="RenewLeaseAsync"/>), so a long job keeps it and a dead worker's lease runs out soon; every
/// later write is fenced by the lease owner, so a worker whose lease was taken over cannot complete it.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>Creates the schema when missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores a delivery, or answers the stored one's id when its dedup key is known.</summary>
    Task<EnqueueResult> EnqueueAsync(NewDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Takes up to <paramref name="max"/> due deliveries (pending, or processing with an expired lease) for <paramref name="owner"/>.</summary>
    Task<IReadOnlyList<LeasedDelivery>> LeaseAsync(string owner, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends the lease of a delivery <paramref name="owner"/> holds to now + <paramref name="lease"/>; false when the lease was lost.</summary>
    Task<bool> RenewLeaseAsync(long id, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Saves a job's checkpoint; false when the lease was lost.</summary>
    Task<bool> SaveProgressAsync(long id, string owner, string progress, CancellationToken cancellationToken);

    Task<bool> CompleteAsync(long id, string owner, CancellationToken cancellationToken);

    Task<bool> RetryLaterAsync(long id, string owner, DateTimeOffset due, string error, CancellationToken cancellationToken);

    /// <summary>Dead-letters a delivery with the reason (status failed).</summary>
    Task<bool> DeadLetterAsync(long id, string owner, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a failed delivery back in the queue with its attempts reset, or makes one waiting in back-off due now
    /// (the admin retry, e.g. after a token was fixed). A delivery being processed or done is left alone: false.
    /// </summary>
    Task<bool> RequeueAsync(long id, CancellationToken cancellationToken) => RequeueAsync(id, acknowledgeConflicts: false, cancellationToken);

    /// <summary>
    /// The same; with <paramref name="acknowledgeConflicts"/> the delivery's progress records that an admin accepted
    /// the NetBox branch's conflicts (<see cref="DeliveryProgress.AcknowledgeConflicts"/>), so its merge overwrites main.
    /// </summary>
    Task<bool> RequeueAsync(long id, bool acknowledgeConflicts, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliverySummary>> ListAsync(string? status, int limit, CancellationToken cancellationToken);

    Task<DeliverySummary?> GetAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>Deletes processed deliveries completed before <paramref name="before"/>; answers how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="StoreUnavailableException"/> when the store cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Done = "done";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Processing, Done, Failed];
}

public sealed record NewDelivery(string DedupKey, string Event, string Kind, byte[] Body, DateTimeOffset ReceivedAt);

public sealed record EnqueueResult(long Id, bool Duplicate);

public sealed record LeasedDelivery(long Id, string DedupKey, string Event, string Kind, byte[] Body, int Attempts, string? Progress,
    DateTimeOffset ReceivedAt);

public sealed record DeliverySummary(
    long Id,
    string DedupKey,
    string Event,
    string Kind,
    string Status,
    int Attempts,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? CompletedAt,
    string? LastError);

/// <summary>The store cannot be reached or written (disk, permissions, PostgreSQL down): the endpoint answers 503.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Keys of a delivery's progress that someone other than its handler writes.</summary>
public static class DeliveryProgress
{
    /// <summary>Set by POST /deliveries/{id}/retry?acknowledge_conflicts=true: merge the NetBox branch over its conflicts.</summary>
    public const string AcknowledgeConflicts = "acknowledge_conflicts";
}
