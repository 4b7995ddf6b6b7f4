using System.Net.Sockets;
using Nautilus.Core;
using Nautilus.Webhooks;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddNautilusWebhooks(args);
    var app = builder.Build();
    app.UseNautilusWebhooks();
    await app.RunAsync();
}
catch (Exception ex) when (ex is NautilusException or Nautilus.Webhooks.Queue.StoreUnavailableException)
{
    // A configuration or store problem at startup: one clear line and the contract's exit code, no stack trace.
    await Console.Error.WriteLineAsync($"nautilus-webhooks: {ex.Message}");
    return (int)((ex as NautilusException)?.Code ?? ExitCode.UpstreamUnavailable);
}
catch (IOException ex) when (AddressInUse(ex))
{
    await Console.Error.WriteLineAsync($"nautilus-webhooks: cannot listen: {ex.Message} Stop the process using that port, or choose another with --urls or " +
        $"ASPNETCORE_URLS (e.g. http://0.0.0.0:8081).");
    return (int)ExitCode.Unexpected;
}

return 0;

// Kestrel wraps the socket's error: IOException → AddressInUseException → SocketException (98).
static bool AddressInUse(Exception ex)
{
    for (Exception? e = ex; e is not null; e = e.InnerException)
    {
        if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } or Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            return true;
        }
    }

    return false;
}
