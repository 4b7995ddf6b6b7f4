using Nautilus.Cli;
using Nautilus.Core.Configuration;

return await CliHost.RunAsync(args, ProcessEnvironment.Instance, Console.Out, Console.Error).ConfigureAwait(false);
