using Microsoft.Extensions.Configuration;
using Nautilus.Core;

namespace Nautilus.Webhooks.Tests;

public sealed class OptionsTests
{
    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void From_SeveralProblems_ReportsThemTogetherAsUsage()
    {
        var error = Assert.Throws<NautilusException>(() => WebhookOptions.From(Configuration(new()
        {
            ["Nautilus:NetBox:Url"] = "netbox.example.com",
            ["Nautilus:Webhooks:SyncOn"] = "sometimes",
            ["Nautilus:Webhooks:SqliteSynchronous"] = "OFF",
            ["Nautilus:Webhooks:Worker:Concurrency"] = "0",
            ["Nautilus:Webhooks:Worker:Lease"] = "soon",
            ["Nautilus:Webhooks:BulkChunkSize"] = "2500",
        })));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("NAUTILUS_NETBOX_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("NAUTILUS_SYNC_ON", error.Message, StringComparison.Ordinal);
        Assert.Contains("SqliteSynchronous", error.Message, StringComparison.Ordinal);
        Assert.Contains("Worker:Concurrency", error.Message, StringComparison.Ordinal);
        Assert.Contains("Worker:Lease", error.Message, StringComparison.Ordinal);
        Assert.Contains("BulkChunkSize is '2500'; use a whole number ≥ 1 and ≤ 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_Defaults_MatchTheContract()
    {
        var options = WebhookOptions.From(Configuration(new() { ["Nautilus:NetBox:Url"] = "https://netbox.example.com" }));

        Assert.Equal("nautilus-webhooks.db", options.Store);
        Assert.False(options.IsPostgres);
        Assert.Equal(SyncOn.Deploy, options.SyncOn);
        Assert.Equal("feature/", options.BranchPrefix);
        Assert.Equal(25L * 1024 * 1024, options.MaxBodyBytes);
        Assert.Null(options.AdminToken);
        Assert.Equal("FULL", options.SqliteSynchronous);
        Assert.Equal(500, options.BulkChunkSize);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Worker.Lease);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Worker.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMinutes(15), options.Worker.JobTimeout);
    }

    [Theory]
    [InlineData("00:00:20", "00:00:20")]
    [InlineData("00:00:20", "00:00:11")]
    [InlineData("00:00:20", "00:00:00")]
    public void From_HeartbeatNotWellInsideTheLease_IsAUsageErrorNamingBoth(string lease, string heartbeat)
    {
        var error = Assert.Throws<NautilusException>(() => WebhookOptions.From(Configuration(new()
        {
            ["Nautilus:NetBox:Url"] = "https://netbox.example.com",
            ["Nautilus:Webhooks:Worker:Lease"] = lease,
            ["Nautilus:Webhooks:Worker:Heartbeat"] = heartbeat,
        })));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("Worker:Heartbeat", error.Message, StringComparison.Ordinal);
        Assert.Contains("half the lease (00:00:10)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Database=nautilus", true)]
    [InlineData("postgres://u:p@db:5432/nautilus?sslmode=require", true)]
    [InlineData("/var/lib/nautilus/queue.db", false)]
    public void IsPostgres_FollowsTheConnectionString(string store, bool postgres) =>
        Assert.Equal(postgres, WebhookOptions.IsPostgresConnection(store));

    [Fact]
    public void PostgresUrl_IsTranslatedForNpgsql()
    {
        var connection = Queue.PostgresDeliveryStore.ConnectionStringOf("postgres://nautilus:p%40ss@db.example.com:6543/queue?sslmode=require");

        Assert.Contains("Host=db.example.com", connection, StringComparison.Ordinal);
        Assert.Contains("Port=6543", connection, StringComparison.Ordinal);
        Assert.Contains("Database=queue", connection, StringComparison.Ordinal);
        Assert.Contains("Username=nautilus", connection, StringComparison.Ordinal);
        Assert.Contains("Password=p@ss", connection, StringComparison.Ordinal);
        Assert.Contains("SSL Mode=Require", connection, StringComparison.Ordinal);
    }
}
