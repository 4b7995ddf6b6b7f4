using System.Text.Json.Nodes;
using Nautilus.Webhooks.Queue;

namespace Nautilus.Webhooks.Handlers;

/// <summary>
/// One leased delivery while a handler works on it. Handlers record each finished step in <see cref="Progress"/>
/// and save it, so a retry (after a crash, a 503 or a lost lease) resumes instead of repeating writes.
/// </summary>
public sealed class DeliveryContext(LeasedDelivery delivery, IDeliveryStore store, string owner)
{
    public LeasedDelivery Delivery => delivery;

    public long Id => delivery.Id;

    public JsonObject Progress { get; } = delivery.Progress is { Length: > 0 } saved ? JsonNode.Parse(saved)!.AsObject() : new JsonObject();

    /// <summary>A marker unique to this delivery, written into journal entries so a resumed job finds what it already wrote.</summary>
    public string Marker => $"[nautilus delivery {delivery.Id}]";

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (!await store.SaveProgressAsync(delivery.Id, owner, Progress.ToJsonString(), cancellationToken).ConfigureAwait(false))
        {
            throw new LeaseLostException(delivery.Id);
        }
    }
}

/// <summary>The lease expired and another worker took the delivery over: stop without writing more.</summary>
public sealed class LeaseLostException(long id) : Exception($"The lease on delivery {id} was lost; another worker has taken it over.");
