using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Xunit;

namespace Nautilus.Testing;

/// <summary>
/// Parses a note or issue body the way GitLab reads it (CommonMark with GitLab's tables, autolinks and task lists,
/// through Markdig) and checks that untrusted text stayed inert. GitLab expands references (@user, #1, !1, ~label,
/// &amp;1, $1) and renders HTML only in live text: never inside code spans, &lt;code&gt; elements, fenced blocks or
/// link text. So every piece of NetBox text must land in one of those, and the live text that is left is ours.
/// </summary>
public static partial class MarkdownSafety
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoLinks()
        .UseTaskLists()
        .UseEmphasisExtras()
        .Build();

    /// <summary>HTML that Nautilus itself writes; any other tag in live text came from data.</summary>
    private static readonly HashSet<string> OurTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "code", "/code", "details", "/details", "summary", "/summary", "sub", "/sub", "br", "br/", "pre", "/pre",
    };

    /// <summary>
    /// NetBox names that would do something if they reached live Markdown: mention everyone, link issue 123, MR 7 and a
    /// label, break out of a code span or a table cell, inject HTML or a link, or run a quick action.
    /// </summary>
    public static IReadOnlyList<string> HostileNames { get; } =
    [
        "@all",
        "#123",
        "!7",
        "~label",
        "back`tick``s",
        "a|b|c",
        "<img src=x onerror=alert(1)>",
        "[click](https://evil.example/x)",
        "https://evil.example/auto",
        "**bold** _it_ @dev-team",
        "/close\n@all #1",
        "&1 $2 ~\"quoted label\"",
    ];

    /// <summary>What a body holds, split the way GitLab's reference filters see it.</summary>
    public sealed record Parts(IReadOnlyList<string> Live, IReadOnlyList<string> Code, IReadOnlyList<string> LinkText, IReadOnlyList<string> Urls,
        IReadOnlyList<string> Tags);

    public static Parts Split(string markdown)
    {
        var live = new List<string>();
        var code = new List<string>();
        var linkText = new List<string>();
        var urls = new List<string>();
        var tags = new List<string>();
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var block in document.Descendants<LeafBlock>())
        {
            switch (block)
            {
                case CodeBlock fenced when block is not HtmlBlock:
                    code.Add(fenced.Lines.ToString());
                    break;
                case HtmlBlock html:
                    SplitHtml(html.Lines.ToString(), live, code, tags);
                    break;
                default:
                    if (block.Inline is { } inline)
                    {
                        var text = new StringBuilder();
                        var htmlCode = 0;
                        Walk(inline, text, code, linkText, urls, tags, ref htmlCode);
                        live.Add(text.ToString());
                    }

                    break;
            }
        }

        return new Parts(live, code, linkText, urls, tags);
    }

    /// <summary>
    /// Fails unless every name in <paramref name="hostile"/> appears whole in a code span (or &lt;code&gt;) and never
    /// in live text, live text holds no GitLab reference or mention, no HTML but Nautilus's own, no line runs a quick
    /// action, and every link points where <paramref name="allowedUrl"/> says.
    /// </summary>
    public static Parts AssertInert(string markdown, IEnumerable<string> hostile, Func<string, bool> allowedUrl, bool requireEveryName = true)
    {
        var parts = Split(markdown);
        var live = string.Join("\n", parts.Live);
        foreach (var name in hostile)
        {
            var flat = Flat(name);
            Assert.False(live.Contains(flat, StringComparison.Ordinal), $"NetBox text {flat} is live Markdown in:\n{markdown}");
            if (requireEveryName)
            {
                Assert.True(parts.Code.Any(c => Unpipe(c).Contains(flat, StringComparison.Ordinal)), $"NetBox text {flat} is in no code span of:\n{markdown}");
            }
        }

        foreach (var piece in parts.Live)
        {
            var reference = Reference().Match(piece);
            Assert.False(reference.Success, $"live text '{piece}' holds the GitLab reference '{reference.Value}' in:\n{markdown}");
        }

        foreach (var tag in parts.Tags)
        {
            Assert.True(tag.StartsWith("<!-- nautilus:", StringComparison.Ordinal) || OurTags.Contains(TagName(tag)),
                $"live HTML {tag} is not Nautilus's own, in:\n{markdown}");
        }

        foreach (var url in parts.Urls)
        {
            Assert.True(allowedUrl(url), $"link to {url} was not written by Nautilus, in:\n{markdown}");
        }

        foreach (var line in markdown.Split('\n'))
        {
            Assert.False(line.TrimStart().StartsWith('/'), $"line '{line}' would run a GitLab quick action");
        }

        return parts;
    }

    private static void Walk(ContainerInline container, StringBuilder live, List<string> code, List<string> linkText, List<string> urls, List<string> tags,
        ref int htmlCode)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case CodeInline span:
                    code.Add(span.Content);
                    live.Append('\u2400');
                    break;
                case LinkInline link:
                    urls.Add(link.Url ?? "");
                    var text = new StringBuilder();
                    var inner = 0;
                    Walk(link, text, code, linkText, urls, tags, ref inner);
                    linkText.Add(text.ToString());
                    live.Append('\u2400');
                    break;
                case AutolinkInline autolink:
                    urls.Add(autolink.Url);
                    live.Append(autolink.Url);
                    break;
                case HtmlInline html:
                    tags.Add(html.Tag);
                    var name = TagName(html.Tag);
                    htmlCode += name == "code" ? 1 : name == "/code" ? -1 : 0;
                    live.Append('\u2400');
                    break;
                case LiteralInline literal when htmlCode > 0:
                    code.Add(literal.Content.ToString());
                    break;
                case LiteralInline literal:
                    live.Append(literal.Content.ToString());
                    break;
                case HtmlEntityInline entity:
                    (htmlCode > 0 ? code : null)?.Add(entity.Transcoded.ToString());
                    if (htmlCode == 0)
                    {
                        live.Append(entity.Transcoded.ToString());
                    }

                    break;
                case LineBreakInline:
                    live.Append(' ');
                    break;
                case ContainerInline nested:
                    Walk(nested, live, code, linkText, urls, tags, ref htmlCode);
                    break;
            }
        }
    }

    /// <summary>An HTML block is raw HTML: text inside &lt;code&gt; is inert, every other text node is live.</summary>
    private static void SplitHtml(string html, List<string> live, List<string> code, List<string> tags)
    {
        var rest = CodeElement().Replace(html, m =>
        {
            code.Add(WebUtility.HtmlDecode(m.Groups[1].Value));
            return "\u2400";
        });
        foreach (Match tag in AnyTag().Matches(rest))
        {
            tags.Add(tag.Value);
        }

        live.Add(WebUtility.HtmlDecode(AnyTag().Replace(rest, "\u2400")));
    }

    private static string TagName(string tag)
    {
        var m = TagNamePattern().Match(tag);
        return m.Success ? m.Groups[1].Value.ToLowerInvariant() : tag;
    }

    /// <summary>How MarkdownText puts a value on one line.</summary>
    private static string Flat(string text) => new(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    /// <summary>Table cells escape '|' inside code; GitLab shows it unescaped.</summary>
    private static string Unpipe(string code) => code.Replace("\\|", "|", StringComparison.Ordinal);

    // User and group mentions, issues, merge requests, labels, epics and snippets, as GitLab's reference filters
    // match them in text (docs.gitlab.com/user/markdown/#gitlab-specific-references).
    [GeneratedRegex(@"(?<![\w`])(@[\w.-]|#\d|![\d\w]|~[\w""]|&\d|\$\d)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"<code>(.*?)</code>", RegexOptions.Singleline)]
    private static partial Regex CodeElement();

    [GeneratedRegex(@"<!--.*?-->|<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"^<\s*(/?[A-Za-z][A-Za-z0-9]*/?)")]
    private static partial Regex TagNamePattern();
}
