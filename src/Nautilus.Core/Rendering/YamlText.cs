using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Nautilus.Core.Rendering;

/// <summary>
/// YAML written by YamlDotNet's emitter from typed values, never glued together. Strings are always
/// double-quoted: PyYAML (Ansible) reads YAML 1.1, where plain <c>yes</c>, <c>on</c> or <c>~</c> would stop being text.
/// </summary>
public static class YamlText
{
    private static readonly TagName Unsafe = new("!unsafe");

    /// <summary>One scalar, as it would appear inside a document (used by templates through <c>yaml</c>).</summary>
    public static string Scalar(string value)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = NewEmitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
        EmitString(emitter, value);
        emitter.Emit(new SequenceEnd());
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        var text = writer.ToString().TrimEnd('\n');

        // The flow sequence is only a carrier so the emitter quotes the scalar as it would inside a document.
        return text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : throw new InvalidOperationException("unexpected YAML emitter output: " + text);
    }

    public static Emitter NewEmitter(TextWriter writer) => new(writer, 2, int.MaxValue, false);

    /// <summary>Jinja2's default delimiters; text holding one would be templated by Ansible unless marked !unsafe.</summary>
    public static bool NeedsUnsafe(string value) =>
        value.Contains("{{", StringComparison.Ordinal) || value.Contains("{%", StringComparison.Ordinal) || value.Contains("{#", StringComparison.Ordinal);

    public static void EmitString(IEmitter emitter, string value)
    {
        var tag = NeedsUnsafe(value) ? Unsafe : TagName.Empty;
        emitter.Emit(new Scalar(AnchorName.Empty, tag, value, ScalarStyle.DoubleQuoted, false, tag.IsEmpty));
    }

    public static void EmitKey(IEmitter emitter, string key) => EmitString(emitter, key);

    public static void EmitPlain(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, true, false));

    public static void EmitNull(IEmitter emitter) => EmitPlain(emitter, "null");

    /// <summary>A NetBox JSON value (custom fields) as YAML, keeping numbers, booleans and nulls typed.</summary>
    public static void EmitJson(IEmitter emitter, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    EmitKey(emitter, property.Name);
                    EmitJson(emitter, property.Value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonValueKind.Array:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in value.EnumerateArray())
                {
                    EmitJson(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValueKind.String:
                EmitString(emitter, value.GetString()!);
                break;
            case JsonValueKind.Number:
                EmitPlain(emitter, value.GetRawText());
                break;
            case JsonValueKind.True:
                EmitPlain(emitter, "true");
                break;
            case JsonValueKind.False:
                EmitPlain(emitter, "false");
                break;
            default:
                EmitNull(emitter);
                break;
        }
    }
}
