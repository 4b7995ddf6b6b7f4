using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Nautilus.Core.GitLab;

/// <summary>
/// Safe Markdown for GitLab notes. Untrusted text (NetBox names, addresses, values) goes into code spans:
/// GitLab expands no references (@user, #1, !1, ~label) and no Markdown inside them, so a NetBox object
/// named "@all" pings nobody. Quick actions are neutralised last (docs/design.md §6).
/// </summary>
public static partial class MarkdownText
{
    /// <summary>An inline code span holding <paramref name="text"/> literally, on one line.</summary>
    public static string Code(string? text)
    {
        var flat = OneLine(text);
        if (flat.Length == 0)
        {
            return "` `";
        }

        var longest = 0;
        var run = 0;
        foreach (var c in flat)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = flat.StartsWith('`') || flat.EndsWith('`') || (flat.StartsWith(' ') && flat.EndsWith(' ')) ? " " : "";
        return fence + pad + flat + pad + fence;
    }

    /// <summary>A code span for a table cell: GitLab splits cells on | even inside code, unless it is escaped.</summary>
    public static string TableCode(string? text) => Code(OneLine(text).Replace("|", "\\|", StringComparison.Ordinal));

    /// <summary>Text for an HTML context (&lt;summary&gt;), wrapped in &lt;code&gt; so GitLab expands no references in it.</summary>
    public static string HtmlCode(string? text) => "<code>" + WebUtility.HtmlEncode(OneLine(text)) + "</code>";

    /// <summary>A link whose text is a code span; the URL is ours (NetBox base URL + id), percent-encoded where Markdown would break.</summary>
    public static string Link(string? text, string url) => "[" + Code(text) + "](" + Url(url) + ")";

    /// <summary><see cref="Link"/> for a table cell: the pipes of the text are escaped as in <see cref="TableCode"/>.</summary>
    public static string TableLink(string? text, string url) => "[" + TableCode(text) + "](" + Url(url) + ")";

    /// <summary>
    /// A link with our own words as its text ("job 9", "pipeline #5150") to a URL that came from GitLab (a payload,
    /// CI_PIPELINE_URL): linked only when it is an absolute http(s) URL, else the words alone, so a payload can
    /// never make a javascript: link.
    /// </summary>
    public static string WebLink(string words, string? url) =>
        url is { Length: > 0 } && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
            ? "[" + OneLine(words).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal) + "](" + Url(url) + ")"
            : OneLine(words);

    /// <summary>
    /// Multi-line text shown verbatim (Terraform's errors, `terraform show`, a multi-line value): an HTML
    /// &lt;pre&gt;&lt;code&gt; block, so GitLab expands no references and renders no Markdown or HTML in it. Only &amp;, &lt; and
    /// &gt; are encoded, colours and control characters dropped, and every line starts with <paramref name="indent"/> (the
    /// content column of the list item it sits in). A line starting with '/' is made inert by
    /// <see cref="NeutraliseQuickActions"/> as &amp;#47;, which HTML shows as '/' again.
    /// </summary>
    public static string CodeBlock(string text, string indent = "")
    {
        var lines = Ansi().Replace(text.ReplaceLineEndings("\n"), "").TrimEnd('\n', ' ').Split('\n');
        var sb = new StringBuilder(text.Length + 32);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = new StringBuilder(lines[i].Length);
            foreach (var c in lines[i].TrimEnd())
            {
                _ = c switch
                {
                    '&' => line.Append("&amp;"),
                    '<' => line.Append("&lt;"),
                    '>' => line.Append("&gt;"),
                    '\t' => line.Append(c),
                    _ when char.IsControl(c) || c is '\u2028' or '\u2029' => line,
                    _ => line.Append(c),
                };
            }

            // A blank line would end the list item the block sits in; an encoded space is not blank and shows the same.
            sb.Append(indent).Append(i == 0 ? "<pre><code>" : "").Append(line.Length == 0 && i > 0 ? "&#32;" : line.ToString());
            sb.Append(i == lines.Length - 1 ? "</code></pre>" : "\n");
        }

        return sb.ToString();
    }

    /// <summary>The last <paramref name="lines"/> lines of <paramref name="text"/>, each cut to <paramref name="width"/> characters.</summary>
    public static string LastLines(string text, int lines, int width)
    {
        var all = Ansi().Replace(text.ReplaceLineEndings("\n"), "").TrimEnd('\n', ' ').Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)).Select(l => l.Length > width ? l[..width] + "…" : l));
    }

    [GeneratedRegex(@"\x1B(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1B]*(\x07|\x1B\\)?|[@-Z\\-_])")]
    private static partial Regex Ansi();

    /// <summary>A URL as a Markdown link destination: spaces and parentheses would end it early.</summary>
    private static string Url(string url) =>
        url.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal);

    /// <summary>Control characters and line breaks become spaces: a value never starts a new Markdown line.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' ? ' ' : c);
        }

        return sb.ToString();
    }

    /// <summary>
    /// GitLab executes a note line that starts with /command (docs.gitlab.com/user/project/quick_actions/).
    /// Any line whose first non-blank character is '/' gets it as the HTML entity &amp;#47;, which renders
    /// the same and runs nothing.
    /// </summary>
    public static string NeutraliseQuickActions(string body) => LeadingSlash().Replace(body, "$1&#47;");

    [GeneratedRegex(@"(?m)^([ \t]*)/")]
    private static partial Regex LeadingSlash();
}
