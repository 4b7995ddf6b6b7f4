using System.Text.Json;
using Nautilus.Core;
using Nautilus.Core.Secrets;

namespace Nautilus.Tests.Output;

/// <summary>
/// Large JSON output (netbox export, wp status --format json) is streamed in pieces through the secret-masking writer
/// instead of being built as one string: the text must be the same, and masking must not depend on where pieces end.
/// </summary>
public sealed class JsonOutputTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, NewLine = "\n" };

    [Fact]
    public async Task WriteAsync_ADocumentOfManyChunks_WritesWhatSerializeReturnsAndANewline()
    {
        var rows = Enumerable.Range(0, 5_000).Select(i => new { id = i, name = $"vm-{i:00000}", note = "é ü 世界" }).ToList();
        using var text = new StringWriter();

        await JsonOutput.WriteAsync(text, rows, Indented, CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(rows, Indented) + "\n", text.ToString());
    }

    [Fact]
    public async Task WriteAsync_ThroughTheRedactingWriter_MasksASecretSplitBetweenTwoChunks()
    {
        var redactor = new SecretRedactor();
        const string Secret = "s3cr3t-token-value";
        redactor.Register(Secret);
        using var inner = new StringWriter();
        var writer = new RedactingTextWriter(inner, redactor);

        // The first chunk ends inside the secret; the line is only written once it is whole.
        writer.Write("token: s3cr3t-".AsSpan());
        Assert.Equal("", inner.ToString());
        writer.Write("token-value\nnext line\npartial".ToCharArray(), 0, 29);
        Assert.Equal($"token: {SecretRedactor.Mask}\nnext line\n", inner.ToString());
        writer.Flush();

        Assert.Equal($"token: {SecretRedactor.Mask}\nnext line\npartial", inner.ToString());
        Assert.DoesNotContain(Secret, inner.ToString());
    }
}
