using System.Text;
using Nautilus.Cli;
using Nautilus.Core.Configuration;

// Standard output with a 64 KiB buffer, flushed after every write: Console.Out's 256-byte buffer turns a 76 MB
// `netbox export` into 300,000 write calls. Flushing each write keeps output as live as Console.Out's.
var stdout = TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = true });
return await CliHost.RunAsync(args, ProcessEnvironment.Instance, stdout, Console.Error).ConfigureAwait(false);
