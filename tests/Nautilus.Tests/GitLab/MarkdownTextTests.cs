using Nautilus.Core.GitLab;

namespace Nautilus.Tests.GitLab;

public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("dc1-web-01", "`dc1-web-01`")]
    [InlineData("", "` `")]
    [InlineData(null, "` `")]
    [InlineData("a`b", "``a`b``")]
    [InlineData("x``y`", "``` x``y` ```")]
    [InlineData("`start", "`` `start ``")]
    [InlineData(" both ", "`  both  `")]
    [InlineData("two\nlines\r\tand\u2028more", "`two lines  and more`")]
    public void Code_AnyText_IsOneCodeSpanFencedLongerThanItsBackticks(string? text, string expected) =>
        Assert.Equal(expected, MarkdownText.Code(text));

    [Fact]
    public void TableCode_Pipes_AreEscapedInsideTheSpan() =>
        Assert.Equal("`a\\|b`", MarkdownText.TableCode("a|b"));

    [Fact]
    public void HtmlCode_Markup_IsEncodedInsideCode() =>
        Assert.Equal("<code>&lt;img src=x&gt; &amp; @all</code>", MarkdownText.HtmlCode("<img src=x> & @all"));

    [Fact]
    public void Link_TextAndUrl_TextIsCodeAndUrlCannotEndEarly()
    {
        Assert.Equal("[`@all`](https://nb.example/a%20b%28c%29/)", MarkdownText.Link("@all", "https://nb.example/a b(c)/"));
        Assert.Equal("[`a\\|b`](https://nb.example/1/)", MarkdownText.TableLink("a|b", "https://nb.example/1/"));
    }

    [Theory]
    [InlineData("https://gitlab.example.com/p/-/jobs/9", "[job 9](https://gitlab.example.com/p/-/jobs/9)")]
    [InlineData("https://gitlab.example.com/a(b)", "[job 9](https://gitlab.example.com/a%28b%29)")]
    [InlineData("javascript:alert(1)", "job 9")]
    [InlineData("/relative/path", "job 9")]
    [InlineData(null, "job 9")]
    public void WebLink_OnlyHttpUrls_AreLinked(string? url, string expected) =>
        Assert.Equal(expected, MarkdownText.WebLink("job 9", url));

    [Fact]
    public void NeutraliseQuickActions_LinesStartingWithSlash_RunNothing()
    {
        var body = MarkdownText.NeutraliseQuickActions("/close\n  /merge now\nkeep /this\n");

        Assert.Equal("&#47;close\n  &#47;merge now\nkeep /this\n", body);
    }

    [Fact]
    public void OneLine_ControlCharacters_BecomeSpaces() =>
        Assert.Equal("a b c d", MarkdownText.OneLine("a\nb\u0085c\u0000d"));
}
