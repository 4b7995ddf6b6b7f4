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

/// <summary>
/// One stderr style for every command, as compilers and git write it: "info: …", "warning: …", "error: …" (and
/// "debug: …" with --verbose). Commands that write a warning or an error themselves use the same prefixes.
/// </summary>
internal sealed class CliLogFormatter : ITextFormatter
{
    private static readonly Serilog.Formatting.Display.MessageTemplateTextFormatter Message = new("{Message:lj}{NewLine}{Exception}");

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write(logEvent.Level switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => "debug: ",
            LogEventLevel.Information => "info: ",
            LogEventLevel.Warning => "warning: ",
            _ => "error: ",
        });
        Message.Format(logEvent, output);
    }
}
