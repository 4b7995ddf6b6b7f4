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
        var raw = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var lines = new List<Line>(raw.Length);
        foreach (var text in raw)
        {
            var trimmed = text.Trim();
            var blank = trimmed.Length == 0;
            if (blank && (lines.Count == 0 || lines[^1].Blank || lines[^1].Text.EndsWith('{') || lines[^1].Text.EndsWith('[')))
            {
                continue;
            }

            if (!blank && (trimmed.StartsWith('}') || trimmed.StartsWith(']')) && lines.Count > 0 && lines[^1].Blank)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            lines.Add(new Line(trimmed));
        }

        while (lines.Count > 0 && lines[^1].Blank)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        // Indentation by net bracket change per line (formatIndent).
        var indents = new Stack<int>();
        foreach (var line in lines)
        {
            if (line.Blank)
            {
                continue;
            }

            var (net, assignAt) = Scan(line.Text);
            line.AssignAt = assignAt;
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
        var result = new StringBuilder(source.Length + 256);
        for (var i = 0; i < lines.Count;)
        {
            if (lines[i].AssignAt < 0)
            {
                Append(result, lines[i], 0);
                i++;
                continue;
            }

            var end = i;
            var width = 0;
            while (end < lines.Count && lines[end].AssignAt >= 0)
            {
                width = Math.Max(width, lines[end].Indent + Columns(lines[end].Key));
                end++;
            }

            for (var j = i; j < end; j++)
            {
                Append(result, lines[j], width);
            }

            i = end;
        }

        return result.ToString();
    }

    private static void Append(StringBuilder sb, Line line, int width)
    {
        if (line.Blank)
        {
            sb.Append('\n');
            return;
        }

        sb.Append(' ', line.Indent);
        if (line.AssignAt < 0)
        {
            sb.Append(line.Text).Append('\n');
            return;
        }

        var key = line.Key;
        sb.Append(key).Append(' ', width - line.Indent - Columns(key) + 1).Append("= ").Append(line.Text[(line.AssignAt + 1)..].TrimStart()).Append('\n');
    }

    private static int Columns(string text) => text.EnumerateRunes().Count();

    /// <summary>Net bracket change outside strings, and where a whole-expression assignment's '=' is (-1 if none).</summary>
    private static (int Net, int AssignAt) Scan(string text)
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

    private sealed class Line(string text)
    {
        public string Text { get; } = text;
        public bool Blank => Text.Length == 0;
        public int Indent { get; set; }
        public int AssignAt { get; set; } = -1;
        public string Key => Text[..AssignAt].TrimEnd();
    }
}
