using System.Text.RegularExpressions;
using Nautilus.Cli;
using Nautilus.Core.Configuration;
using Nautilus.Core.Secrets;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>
/// NAUTILUS.md and README.md promise command lines to people and agents; every one of them must parse
/// with the real CLI parser: no unknown command, option or value.
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    [GeneratedRegex(@"`(nautilus [^`]+)`")]
    private static partial Regex InlineCommand();

    [GeneratedRegex(@"^\s*(?:dotnet run --project src/Nautilus\.Cli --|nautilus)\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex BlockCommand();

    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in new[] { "NAUTILUS.md", "README.md" })
        {
            var text = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, file));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in InlineCommand().Matches(text))
            {
                if (!m.Groups[1].Value.Contains('…', StringComparison.Ordinal) && seen.Add(m.Groups[1].Value))
                {
                    data.Add(file, m.Groups[1].Value);
                }
            }

            foreach (Match m in BlockCommand().Matches(text))
            {
                var line = "nautilus " + m.Groups[1].Value.Split(" #")[0].Trim();
                if (!line.Contains('`', StringComparison.Ordinal) && seen.Add(line))
                {
                    data.Add(file, line);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Docs_MentionEveryCommand()
    {
        var documented = string.Join("\n", Commands().Select(row => (string)row[1]));
        var root = CliHost.BuildRoot(new CliContextFactory(new DictionaryEnvironment(new Dictionary<string, string>()), TextWriter.Null, TextWriter.Null,
            new SecretRedactor(), null));
        var missing = new List<string>();
        foreach (var group in root.Subcommands)
        {
            var leaves = group.Subcommands.Count == 0 ? [group.Name] : group.Subcommands.Select(s => $"{group.Name} {s.Name}");
            missing.AddRange(leaves.Where(leaf => !documented.Contains("nautilus " + leaf, StringComparison.Ordinal)));
        }

        Assert.True(missing.Count == 0, "commands with no example in NAUTILUS.md or README.md: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Docs_CommandLine_ParsesWithTheRealCli(string file, string commandLine)
    {
        var root = CliHost.BuildRoot(new CliContextFactory(new DictionaryEnvironment(new Dictionary<string, string>()), TextWriter.Null, TextWriter.Null,
            new SecretRedactor(), null));
        var args = Split(Concrete(commandLine)).Skip(1).ToArray();

        var result = root.Parse(args);

        Assert.True(result.Errors.Count == 0, $"{file}: `{commandLine}`: {string.Join("; ", result.Errors.Select(e => e.Message))}");
    }

    /// <summary>
    /// A synopsis as an example: optional [groups] dropped, &lt;placeholders&gt; filled, the first of a|b taken
    /// (tables escape the bar as \|).
    /// </summary>
    private static string Concrete(string synopsis)
    {
        var text = synopsis;
        for (var previous = ""; previous != text;)
        {
            previous = text;
            text = Regex.Replace(text, @"\[[^\[\]]*\]", "");
        }

        text = Regex.Replace(text, "<[^>]+>", "dc1-refresh");
        return Regex.Replace(text, @"(\S+?)\\\|\S+", "$1");
    }

    private static IEnumerable<string> Split(string line)
    {
        // Shell-like words: quotes group, a redirection ends the command.
        foreach (Match m in Regex.Matches(line, "\"([^\"]*)\"|'([^']*)'|(\\S+)"))
        {
            var word = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
            if (word is ">" or "|" or "&&" or ";")
            {
                yield break;
            }

            yield return word;
        }
    }
}
