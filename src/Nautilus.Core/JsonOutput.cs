using System.Text;
using System.Text.Json;

namespace Nautilus.Core;

/// <summary>
/// JSON documents written a piece at a time, to a text writer (standard output, a test's capture) or a file: an export
/// or report of 10,000 objects is never one string, which would cost twice its size in UTF-16 and a copy or two.
/// </summary>
public static class JsonOutput
{
    /// <summary>Writes <paramref name="value"/> and a final newline.</summary>
    public static async Task WriteAsync<T>(TextWriter writer, T value, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var stream = new TextWriterStream(writer);
        await WriteAsync(stream, value, options, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 and a final newline.</summary>
    public static async Task WriteAsync<T>(Stream stream, T value, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(stream, value, options, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A write-only stream that decodes the serializer's UTF-8 into a text writer.</summary>
    private sealed class TextWriterStream(TextWriter writer) : WriteOnlyStream
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private readonly char[] _chars = new char[8192];

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                _decoder.Convert(buffer, _chars, flush: false, out var bytesUsed, out var charsUsed, out _);
                writer.Write(_chars, 0, charsUsed);
                buffer = buffer[bytesUsed..];
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (!buffer.IsEmpty)
            {
                _decoder.Convert(buffer.Span, _chars, flush: false, out var bytesUsed, out var charsUsed, out _);
                await writer.WriteAsync(_chars.AsMemory(0, charsUsed), cancellationToken).ConfigureAwait(false);
                buffer = buffer[bytesUsed..];
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => writer.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);
    }
}
