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
