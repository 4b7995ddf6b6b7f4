using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nautilus.Cli.Mcp;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus mcp`: a Model Context Protocol server on stdio for AI agents.</summary>
internal static class McpCommand
{
    public static Command Create(CliContextFactory contexts)
    {
        var command = new Command("mcp",
            "Serve Nautilus to AI agents over the Model Context Protocol (stdio): tools for status, generation, plan summaries, drift and confirmed status " +
            "updates; NAUTILUS.md as a resource.");
        command.SetAction(async (result, ct) =>
        {
            var globals = new List<string>();
            if (result.GetValue(CommonOptions.Source) is { } source)
            {
                globals.AddRange(["--source", Path.GetFullPath(source, contexts.Environment.CurrentDirectory)]);
            }

            if (result.GetValue(CommonOptions.NetBoxUrl) is { } url)
            {
                globals.AddRange(["--netbox-url", url]);
            }

            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

            // stdout is the protocol channel: logs go to stderr only.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton(new McpSession(contexts.Environment, globals, contexts.Overrides));
            builder.Services
                .AddMcpServer(o => o.ServerInfo = new() { Name = "nautilus", Version = typeof(McpCommand).Assembly.GetName().Version?.ToString(3) ?? "0" })
                .WithStdioServerTransport()
                .WithTools<NautilusTools>()
                .WithResources<ConstitutionResource>();
            using var host = builder.Build();
            await host.RunAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
