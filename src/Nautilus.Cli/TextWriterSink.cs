using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Nautilus.Cli;

/// <summary>
/// Serilog sink onto the host's stderr writer (which masks secrets). The console sink writes to
/// Console directly, which in-process tests and the redactor could not see.
/// </summary>
internal sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
