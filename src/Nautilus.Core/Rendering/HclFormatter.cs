using System.Text;

namespace Nautilus.Core.Rendering;

/// <summary>
/// Brings rendered HCL to the canonical layout of hclwrite.Format (what `terraform fmt` applies), so
/// templates need not hand-align anything: two-space indent by bracket depth, and the `=` of consecutive
/// single-line attributes aligned (hashicorp/hcl v2 hclwrite/format.go, formatIndent and formatCells).
/// Also drops blank lines that templates leave after an opening or before a closing brace, and repeats.
/// Handles the HCL the templates produce: no heredocs, no multi-line strings.
/// </summary>
public static class HclFormatter
{
    public static string Format(string source)
    {
        var result = new StringBuilder(source.Length + 256);
        Format(source, result);
        return result.ToString();
    }

    /// <summary>Appends the formatted text to <paramref name="result"/>, so a caller that writes it out can reuse one builder.</summary>
    public static void Format(string source, StringBuilder result)
    {
        // Lines are kept as ranges of the source (trimmed), so formatting a 10,000-resource module allocates
        // little more than its result.
        var text = source.Contains('\r', StringComparison.Ordinal) ? source.Replace("\r\n", "\n", StringComparison.Ordinal) : source;
        var lines = new List<Line>(256);
        var rest = text.AsSpan();
        var offset = 0;
        while (true)
        {
            var newline = rest.IndexOf('\n');
            var raw = newline < 0 ? rest : rest[..newline];
            var trimmedStart = raw.Length - raw.TrimStart().Length;
            var trimmed = raw.Trim();
            var line = new Line(offset + trimmedStart, trimmed.Length);
            var blank = trimmed.Length == 0;
            if (!(blank && (lines.Count == 0 || lines[^1].Blank || EndsWithOpening(text, lines[^1]))))
            {
                if (!blank && (trimmed[0] is '}' or ']') && lines.Count > 0 && lines[^1].Blank)
                {
                    lines.RemoveAt(lines.Count - 1);
                }

                lines.Add(line);
            }

            if (newline < 0)
            {
                break;
            }

            offset += newline + 1;
            rest = rest[(newline + 1)..];
        }

        while (lines.Count > 0 && lines[^1].Blank)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        // Indentation by net bracket change per line (formatIndent).
        var indents = new Stack<int>();
        var spans = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(lines);
        for (var i = 0; i < spans.Length; i++)
        {
            ref var line = ref spans[i];
            if (line.Blank)
            {
                continue;
            }

            var lineText = text.AsSpan(line.Start, line.Length);
            var (net, assignAt) = Scan(lineText);
            line.AssignAt = assignAt;
            if (assignAt >= 0)
            {
                line.KeyLength = lineText[..assignAt].TrimEnd().Length;
                line.KeyColumns = Columns(lineText[..line.KeyLength]);
            }

            if (net < 0)
            {
                var closed = -net;
                while (closed > 0 && indents.Count > 0)
                {
                    var top = indents.Pop();
                    if (closed < top)
                    {
                        indents.Push(top - closed);
                        closed = 0;
                    }
                    else
                    {
                        closed -= top;
                    }
                }
            }

            line.Indent = 2 * indents.Count;
            if (net > 0)
            {
                indents.Push(net);
            }
        }

        // Align '=' across runs of consecutive single-line attributes (formatCells).
        result.EnsureCapacity(result.Length + text.Length + 256);
        for (var i = 0; i < spans.Length;)
        {
            if (spans[i].AssignAt < 0)
            {
                Append(result, text, spans[i], 0);
                i++;
                continue;
            }

            var end = i;
            var width = 0;
            while (end < spans.Length && spans[end].AssignAt >= 0)
            {
                width = Math.Max(width, spans[end].Indent + spans[end].KeyColumns);
                end++;
            }

            for (var j = i; j < end; j++)
            {
                Append(result, text, spans[j], width);
            }

            i = end;
        }
    }

    private static bool EndsWithOpening(string text, Line line) =>
        line.Length > 0 && text[line.Start + line.Length - 1] is '{' or '[';

    private static void Append(StringBuilder sb, string text, Line line, int width)
    {
        if (line.Blank)
        {
            sb.Append('\n');
            return;
        }

        sb.Append(' ', line.Indent);
        var lineText = text.AsSpan(line.Start, line.Length);
        if (line.AssignAt < 0)
        {
            sb.Append(lineText).Append('\n');
            return;
        }

        sb.Append(lineText[..line.KeyLength]).Append(' ', width - line.Indent - line.KeyColumns + 1).Append("= ")
            .Append(lineText[(line.AssignAt + 1)..].TrimStart()).Append('\n');
    }

    private static int Columns(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAscii(c))
            {
                var count = 0;
                foreach (var _ in text.EnumerateRunes())
                {
                    count++;
                }

                return count;
            }
        }

        return text.Length;
    }

    /// <summary>Net bracket change outside strings, and where a whole-expression assignment's '=' is (-1 if none).</summary>
    private static (int Net, int AssignAt) Scan(ReadOnlySpan<char> text)
    {
        var net = 0;
        var equals = -1;
        var depthAtEquals = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '#':
                    i = text.Length;
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = text.Length;
                    break;
                case '{' or '[' or '(':
                    net++;
                    break;
                case '}' or ']' or ')':
                    net--;
                    break;
                case '=' when equals < 0 && i > 0 && text[i - 1] is not ('=' or '!' or '<' or '>') && (i + 1 >= text.Length || text[i + 1] != '='):
                    equals = i;
                    depthAtEquals = net;
                    break;
            }
        }

        // As in hclwrite, only a bracket-balanced right-hand side makes the line an aligned attribute.
        var assign = equals > 0 && net == depthAtEquals ? equals : -1;
        return (net, assign);
    }

    private struct Line(int start, int length)
    {
        public readonly int Start = start;
        public readonly int Length = length;
        public int Indent;
        public int AssignAt = -1;
        public int KeyLength;
        public int KeyColumns;

        public readonly bool Blank => Length == 0;
    }
}
