using System.CommandLine;
using Nautilus.Cli;
using Nautilus.Core.Configuration;
using Nautilus.Core.Secrets;
using Nautilus.Tests.Support;

namespace Nautilus.Tests;

/// <summary>What `--help` tells a new user: every subcommand listed, optional arguments marked, an example that works.</summary>
public sealed class HelpTests
{
    private static RootCommand Root() =>
        CliHost.BuildRoot(new CliContextFactory(new DictionaryEnvironment(new Dictionary<string, string>()), TextWriter.Null, TextWriter.Null,
            new SecretRedactor(), null));

    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string> { "" };
        foreach (var group in Root().Subcommands)
        {
            data.Add(group.Name);
            foreach (var sub in group.Subcommands)
            {
                data.Add(group.Name + " " + sub.Name);
            }
        }

        return data;
    }

    /// <summary>deploy and drift read the generated layout: their help names --dir, not generate's --out.</summary>
    [Theory]
    [InlineData("iac deploy")]
    [InlineData("drift")]
    public async Task Help_CommandsReadingTheLayout_ShowDirAndHideOut(string path)
    {
        var result = await CliRunner.RunAsync([.. path.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("-d, --dir <DIR>", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Out.Split('\n'),
            line => line.TrimStart().StartsWith("-o", StringComparison.Ordinal) || line.TrimStart().StartsWith("--out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_IacGenerate_StillShowsOutAsTheOutputFolder()
    {
        var result = await CliRunner.RunAsync("iac", "generate", "--help");

        Assert.Contains("-o, --out", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--dir", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task Help_EveryCommand_EndsWithExamplesThatParse(string path)
    {
        var words = path.Length == 0 ? [] : path.Split(' ');

        var result = await CliRunner.RunAsync([.. words, "--help"]);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal("", result.Err);
        var examples = result.Out[result.Out.LastIndexOf("Example", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .Select(l => l.Trim()).Where(l => l.StartsWith("nautilus ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            var parse = Root().Parse(example["nautilus ".Length..]);
            Assert.True(parse.Errors.Count == 0, $"{example}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            if (path.Contains(' ', StringComparison.Ordinal) || words.Length == 1 && Root().Subcommands.Single(c => c.Name == path).Subcommands.Count == 0)
            {
                Assert.StartsWith("nautilus " + path + " ", example + " ", StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task NetBoxHelp_ListsEverySubcommand()
    {
        var result = await CliRunner.RunAsync("netbox", "--help");

        foreach (var sub in new[] { "export", "bootstrap", "update-status", "create-vm" })
        {
            Assert.Matches($@"\n  {sub} ", result.Out);
        }

        var description = result.Out.Split("Usage:")[0];
        Assert.Contains("create-vm", description, StringComparison.Ordinal);
        Assert.Contains("update-status", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WpStatusHelp_ShowsTheArgumentIsOptional()
    {
        var result = await CliRunner.RunAsync("wp", "status", "--help");

        Assert.Contains(" wp status [<wp>] [options]", result.Out, StringComparison.Ordinal);
        Assert.Contains("<wp>  Optional: the work package", result.Out, StringComparison.Ordinal);
    }
}
