using System.Collections.Concurrent;
using System.Text;

namespace Nautilus.Core.Secrets;

/// <summary>
/// Every secret value the process learns is registered here; logs, exceptions, MR comments and CLI output
/// pass through <see cref="Redact"/> before they leave the process.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "[masked]";

    // Values shorter than this would mask ordinary words ("on", "yes"); such secrets are refused upstream anyway.
    private const int MinimumLength = 4;

    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);
    private volatile string[] _ordered = [];

    public void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength || !_secrets.TryAdd(secret, 0))
        {
            return;
        }

        // Longest first, so a secret that contains another is masked whole.
        _ordered = _secrets.Keys.OrderByDescending(s => s.Length).ToArray();
    }

    public bool HasSecrets => _ordered.Length > 0;

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var secrets = _ordered;
        if (secrets.Length == 0)
        {
            return text;
        }

        StringBuilder? sb = null;
        foreach (var secret in secrets)
        {
            var current = sb?.ToString() ?? text;
            if (current.Contains(secret, StringComparison.Ordinal))
            {
                sb = new StringBuilder(current.Replace(secret, Mask, StringComparison.Ordinal));
            }
        }

        return sb?.ToString() ?? text;
    }
}

/// <summary>A writer that masks registered secrets line by line before they reach the underlying writer.</summary>
public sealed class RedactingTextWriter(TextWriter inner, SecretRedactor redactor) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        _line.Append(value);
        if (value == '\n')
        {
            FlushLine();
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        _line.Append(value);
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            FlushLine();
        }
    }

    /// <summary>
    /// Text in pieces (a JSON document streamed in 8 KiB chunks): whole lines go on at once, the unfinished last
    /// line waits for its end, so a secret split between two pieces is still masked. Without this override every
    /// character came through <see cref="Write(char)"/>, and every line became a write of its own.
    /// </summary>
    public override void Write(ReadOnlySpan<char> buffer)
    {
        var lastNewline = buffer.LastIndexOf('\n');
        if (lastNewline < 0)
        {
            _line.Append(buffer);
            return;
        }

        _line.Append(buffer[..(lastNewline + 1)]);
        FlushLine();
        _line.Append(buffer[(lastNewline + 1)..]);
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Flush()
    {
        FlushLine();
        inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        if (_line.Length == 0)
        {
            return;
        }

        inner.Write(redactor.Redact(_line.ToString()));
        _line.Clear();
    }
}
