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

return 0;
