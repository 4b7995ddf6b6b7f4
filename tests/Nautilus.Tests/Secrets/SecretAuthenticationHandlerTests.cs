using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Nautilus.Core.Secrets;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Nautilus.Tests.Secrets;

/// <summary>
/// The rotation handler on its own, over real HTTP to an upstream that accepts exactly one token: what goes on the
/// request, when the secret is read again, and that a refused request is retried at most once.
/// </summary>
public sealed class SecretAuthenticationHandlerTests : IDisposable
{
    private const string Old = "old-token-0000";
    private const string New = "new-token-1111";

    private readonly WireMockServer _upstream = WireMockServer.Start();

    public SecretAuthenticationHandlerTests()
    {
        Accept(New);
    }

    public void Dispose() => _upstream.Stop();

    /// <summary>The upstream answers 200 to <paramref name="token"/> and <paramref name="refusal"/> to anything else.</summary>
    private void Accept(string token, HttpStatusCode refusal = HttpStatusCode.Unauthorized)
    {
        _upstream.Reset();
        _upstream.Given(Request.Create().WithPath("/api/thing").WithHeader("Authorization", "Token " + token)).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        _upstream.Given(Request.Create().WithPath("/api/thing")).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(refusal).WithBody("{\"detail\":\"Invalid token\"}"));
    }

    private HttpClient Client(ISecretSource secrets) =>
        new(new SecretAuthenticationHandler(secrets, SecretName.NetBoxToken,
            (request, secret) => SecretAuthentication.SetHeader(request, "Authorization", "Token " + secret), NullLogger.Instance)
        {
            InnerHandler = new SocketsHttpHandler(),
        })
        {
            BaseAddress = new Uri(_upstream.Url!),
        };

    private List<string?> AuthorizationsSent() =>
        _upstream.LogEntries.Select(e => e.RequestMessage.Headers is { } h && h.TryGetValue("Authorization", out var v) ? v.Single() : null).ToList();

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Send_SecretRotatedAtTheSource_ReadsItAgainAndRetriesOnceWithTheNewValue(HttpStatusCode refusal)
    {
        Accept(New, refusal);
        var secrets = new CachingSource(cached: Old, atSource: New);
        using var client = Client(secrets);

        using var response = await client.PostAsync("/api/thing", new StringContent("{\"status\":\"active\"}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Token " + Old, "Token " + New], AuthorizationsSent());
        Assert.Equal(1, secrets.Invalidations);
        Assert.All(_upstream.LogEntries, e => Assert.Equal("{\"status\":\"active\"}", e.RequestMessage.Body));

        // The new value is now the cached one: the next request carries it straight away.
        using var next = await client.GetAsync("/api/thing");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("Token " + New, AuthorizationsSent()[^1]);
        Assert.Equal(1, secrets.Invalidations);
    }

    [Fact]
    public async Task Send_RefusedAndTheSourceHoldsTheSameValue_ReturnsTheRefusalWithoutRetrying()
    {
        var secrets = new CachingSource(cached: Old, atSource: Old);
        using var client = Client(secrets);

        using var response = await client.GetAsync("/api/thing");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["Token " + Old], AuthorizationsSent());
        Assert.Equal(1, secrets.Invalidations);
    }

    [Fact]
    public async Task Send_AnotherRequestAlreadyPickedUpTheNewValue_RetriesWithItWithoutInvalidatingAgain()
    {
        var secrets = new CachingSource(cached: Old, atSource: New) { RefreshAfterReads = 1 };
        using var client = Client(secrets);

        using var response = await client.GetAsync("/api/thing");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Token " + Old, "Token " + New], AuthorizationsSent());
        Assert.Equal(0, secrets.Invalidations);
    }

    [Fact]
    public async Task Send_OtherFailures_AreLeftToTheErrorHandlerWithoutReadingTheSecretAgain()
    {
        _upstream.Reset();
        _upstream.Given(Request.Create().WithPath("/api/thing")).RespondWith(Response.Create().WithStatusCode(500));
        var secrets = new CachingSource(cached: Old, atSource: New);
        using var client = Client(secrets);

        using var response = await client.GetAsync("/api/thing");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(_upstream.LogEntries);
        Assert.Equal((1, 0), (secrets.Reads, secrets.Invalidations));
    }

    [Fact]
    public async Task Send_NoSecretConfigured_SendsNoAuthorizationAndNamesTheOriginForErrors()
    {
        HttpRequestMessage? seen = null;
        var handler = new SecretAuthenticationHandler(
            new FixedSecretSource(SecretName.NetBoxToken, null, "NAUTILUS_NETBOX_TOKEN"),
            SecretName.NetBoxToken,
            (request, secret) => SecretAuthentication.SetHeader(request, "Authorization", "Token " + secret),
            NullLogger.Instance)
        {
            InnerHandler = new Recorder(r => seen = r, new SocketsHttpHandler()),
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(_upstream.Url!) };

        using var response = await client.GetAsync("/api/thing");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([null], AuthorizationsSent());
        Assert.Equal("NAUTILUS_NETBOX_TOKEN", SecretAuthenticationHandler.OriginOf(seen!));
    }

    /// <summary>
    /// A source with a cache, as Vault's: the cached value until invalidated, then the one at the source. With
    /// <see cref="RefreshAfterReads"/>, the cache turns over by itself after that many reads, as when a concurrent
    /// request has already invalidated it.
    /// </summary>
    private sealed class CachingSource(string cached, string atSource) : ISecretSource
    {
        private string _current = cached;

        public int Invalidations { get; private set; }

        public int Reads { get; private set; }

        public int? RefreshAfterReads { get; init; }

        public Task<string?> GetAsync(SecretName name, CancellationToken cancellationToken)
        {
            var value = _current;
            Reads++;
            if (Reads == RefreshAfterReads)
            {
                _current = atSource;
            }

            return Task.FromResult<string?>(value);
        }

        public void Invalidate(SecretName name)
        {
            Invalidations++;
            _current = atSource;
        }

        public string Describe(SecretName name) => "the test source";
    }

    private sealed class Recorder(Action<HttpRequestMessage> record, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            record(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
