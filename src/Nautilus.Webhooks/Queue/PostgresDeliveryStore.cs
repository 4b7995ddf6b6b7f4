using System.Net.Sockets;
using Npgsql;

namespace Nautilus.Webhooks.Queue;

/// <summary>
/// The store for several replicas: one table in PostgreSQL, leases taken with FOR UPDATE SKIP LOCKED so two
/// replicas never take the same delivery, renewed by the running job's heartbeat, and expired leases (a replica
/// that died, so its heartbeat stopped) taken over by the next poll of any replica. Lease times are this
/// process's clock: replicas' clocks are assumed to agree to well within the lease (NTP), as leases are short.
/// </summary>
public sealed class PostgresDeliveryStore(NpgsqlDataSource dataSource, TimeProvider time) : IDeliveryStore, IAsyncDisposable
{
    // Any constant: serialises schema creation when replicas start together (CREATE TABLE IF NOT EXISTS races otherwise).
    private const long SchemaLock = 0x6e617574696c7573;

    private const string SummaryColumns = "id, dedup_key, event, kind, status, attempts, received_at, due_at, completed_at, last_error";

    /// <summary>Npgsql takes key=value connection strings; postgres:// URLs (libpq style) are translated.</summary>
    public static string ConnectionStringOf(string store)
    {
        if (!store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return store;
        }

        var uri = new Uri(store);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) is { Length: > 0 } db ? db : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(kv[0]).ToLowerInvariant();
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (name)
            {
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    builder[name] = value;
                    break;
            }
        }

        return builder.ConnectionString;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"""
                SELECT pg_advisory_xact_lock({SchemaLock});
                CREATE TABLE IF NOT EXISTS nautilus_deliveries (
                  id BIGSERIAL PRIMARY KEY,
                  dedup_key TEXT NOT NULL UNIQUE,
                  event TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  body BYTEA NOT NULL,
                  status TEXT NOT NULL,
                  attempts INTEGER NOT NULL DEFAULT 0,
                  received_at BIGINT NOT NULL,
                  due_at BIGINT NOT NULL,
                  lease_owner TEXT,
                  lease_until BIGINT,
                  progress TEXT,
                  last_error TEXT,
                  completed_at BIGINT
                );
                CREATE INDEX IF NOT EXISTS nautilus_deliveries_due ON nautilus_deliveries (status, due_at);
                """, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<EnqueueResult> EnqueueAsync(NewDelivery delivery, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            // ON CONFLICT … DO UPDATE (a no-op) instead of DO NOTHING so the duplicate's id comes back in the same statement.
            await using var command = new NpgsqlCommand("""
                INSERT INTO nautilus_deliveries (dedup_key, event, kind, body, status, received_at, due_at)
                VALUES (@key, @event, @kind, @body, 'pending', @received, @received)
                ON CONFLICT (dedup_key) DO UPDATE SET dedup_key = EXCLUDED.dedup_key
                RETURNING id, (xmax = 0) AS inserted
                """, connection);
            command.Parameters.AddWithValue("key", delivery.DedupKey);
            command.Parameters.AddWithValue("event", delivery.Event);
            command.Parameters.AddWithValue("kind", delivery.Kind);
            command.Parameters.AddWithValue("body", delivery.Body);
            command.Parameters.AddWithValue("received", delivery.ReceivedAt.ToUnixTimeMilliseconds());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new EnqueueResult(reader.GetInt64(0), Duplicate: !reader.GetBoolean(1));
        }, cancellationToken);

    public Task<IReadOnlyList<LeasedDelivery>> LeaseAsync(string owner, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LeasedDelivery>>(async connection =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var command = new NpgsqlCommand("""
                WITH picked AS (
                  SELECT id FROM nautilus_deliveries
                   WHERE (status = 'pending' AND due_at <= @now) OR (status = 'processing' AND lease_until < @now)
                   ORDER BY due_at, id
                   LIMIT @max
                   FOR UPDATE SKIP LOCKED)
                UPDATE nautilus_deliveries d
                   SET status = 'processing', lease_owner = @owner, lease_until = @until, attempts = d.attempts + 1
                  FROM picked WHERE d.id = picked.id
                RETURNING d.id, d.dedup_key, d.event, d.kind, d.body, d.attempts, d.progress, d.received_at
                """, connection);
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("until", now + (long)lease.TotalMilliseconds);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("max", max);
            var leased = new List<LeasedDelivery>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                leased.Add(new LeasedDelivery(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4),
                    reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
            }

            return leased.OrderBy(d => d.Id).ToList();
        }, cancellationToken);

    public Task<bool> RenewLeaseAsync(long id, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, "lease_until = @due", null, time.GetUtcNow() + lease, cancellationToken);

    public Task<bool> SaveProgressAsync(long id, string owner, string progress, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, "progress = @value", progress, null, cancellationToken);

    public Task<bool> CompleteAsync(long id, string owner, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, "status = 'done', lease_owner = NULL, lease_until = NULL, last_error = NULL, completed_at = @now", null, null,
            cancellationToken);

    public Task<bool> RetryLaterAsync(long id, string owner, DateTimeOffset due, string error, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, "status = 'pending', lease_owner = NULL, lease_until = NULL, last_error = @value, due_at = @due", error, due, cancellationToken);

    public Task<bool> DeadLetterAsync(long id, string owner, string reason, CancellationToken cancellationToken) =>
        FencedAsync(id, owner, "status = 'failed', lease_owner = NULL, lease_until = NULL, last_error = @value, completed_at = @now", reason, null,
            cancellationToken);

    public Task<bool> RequeueAsync(long id, bool acknowledgeConflicts, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "UPDATE nautilus_deliveries SET status = 'pending', attempts = 0, due_at = @now, completed_at = NULL"
                + (acknowledgeConflicts
                    ? $", progress = (coalesce(progress, '{{}}')::jsonb || '{{\"{DeliveryProgress.AcknowledgeConflicts}\": true}}'::jsonb)::text" : "")
                + " WHERE id = @id AND (status = 'failed' OR (status = 'pending' AND attempts > 0))",
                connection);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("now", time.GetUtcNow().ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<DeliverySummary>> ListAsync(string? status, int limit, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {SummaryColumns} FROM nautilus_deliveries " +
                $"{(status is null ? "" : "WHERE status = @status")} ORDER BY id DESC LIMIT @limit", connection);
            if (status is not null)
            {
                command.Parameters.AddWithValue("status", status);
            }

            command.Parameters.AddWithValue("limit", limit);
            return await ReadSummariesAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<DeliverySummary?> GetAsync(long id, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {SummaryColumns} FROM nautilus_deliveries WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            return (await ReadSummariesAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyDictionary<string, long>>(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT status, COUNT(*) FROM nautilus_deliveries GROUP BY status", connection);
            var counts = DeliveryStatus.All.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }, cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM nautilus_deliveries WHERE status = 'done' AND completed_at < @before", connection);
            command.Parameters.AddWithValue("before", before.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM nautilus_deliveries WHERE id = 0", connection);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private Task<bool> FencedAsync(long id, string owner, string set, string? value, DateTimeOffset? due, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"UPDATE nautilus_deliveries SET {set} WHERE id = @id AND lease_owner = @owner AND status = " +
                $"'processing'", connection);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("now", time.GetUtcNow().ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("value", (object?)value ?? DBNull.Value);
            command.Parameters.AddWithValue("due", (due ?? time.GetUtcNow()).ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    private static async Task<IReadOnlyList<DeliverySummary>> ReadSummariesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var list = new List<DeliverySummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DeliverySummary(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return list;
    }

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await action(connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw new StoreUnavailableException($"PostgreSQL store at " +
                $"{dataSource.ConnectionString.Split(';').FirstOrDefault(p => p.StartsWith("Host", StringComparison.OrdinalIgnoreCase)) ?? "?"} failed: " +
                $"{ex.Message}", ex);
        }
    }
}
