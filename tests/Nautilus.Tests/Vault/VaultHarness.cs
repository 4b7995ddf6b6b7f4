using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Nautilus.Core.Configuration;
using Nautilus.Core.Http;
using Nautilus.Core.Secrets;
using Nautilus.Core.Vault;

namespace Nautilus.Tests.Vault;

/// <summary>Builds the product's secret source from the contract's environment variables, as the CLI and service do.</summary>
internal static class VaultHarness
{
    public const string Jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImdpdGxhYiJ9."
        + "eyJuYW1lc3BhY2VfaWQiOiI0MiIsInByb2plY3RfcGF0aCI6Im5ldC9pbmZyYSIsImF1ZCI6Imh0dHBzOi8vdmF1bHQuZXhhbXBsZS5jb20ifQ.c2lnbmF0dXJl";
    public const string Role = "nautilus-ci";
    public const string NetBoxToken = "nbt_Kq3vZr8wYt2uXp5sLm9nBc4d";
    public const string VspherePassword = "Vs-P@ss-2f9c1e77";

    /// <summary>
    /// Short retry delays; the attempt timeout stays long, because no test here is about a timeout and a loaded
    /// machine (TLS handshakes, RSA key generation) must make a test slow, not red.
    /// </summary>
    public static readonly ResilienceSettings Fast = new()
    {
        MaxRetries = 2,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        AttemptTimeout = TimeSpan.FromMinutes(2),
        MaxRetryAfter = TimeSpan.FromSeconds(1),
    };

    public static Dictionary<string, string> JwtEnvironment(string vaultUrl, string role = Role, string jwt = Jwt) => new()
    {
        ["VAULT_ADDR"] = vaultUrl,
        ["VAULT_ID_TOKEN"] = jwt,
        ["VAULT_AUTH_ROLE"] = role,
    };

    public static ServiceProvider Build(IReadOnlyDictionary<string, string> environment, TimeProvider? time = null, Action<IServiceCollection>? more = null)
    {
        var configuration = NautilusConfiguration.Build(new DictionaryEnvironment(environment, Path.GetTempPath()));
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSecretSource(configuration, Fast);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A private CA and a localhost certificate it signed, for an HTTPS Vault; the CA as a PEM file.</summary>
    public static (X509Certificate2 Server, string CaPemFile) CreateCertificates()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Nautilus Test Vault CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), [1, 2, 3, 4, 5, 6, 7, 8]);
        using var withKey = signed.CopyWithPrivateKey(serverKey);

        // Kestrel wants a certificate whose key it can use: round-trip through PKCS#12.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        var pem = Path.Combine(Path.GetTempPath(), $"nautilus-vault-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(pem, ca.ExportCertificatePem());
        return (server, pem);
    }
}

/// <summary>Keeps every log line, so a test can show them when it fails and search them for secrets.</summary>
internal sealed class ListLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
    }
}
