using Nautilus.Tests.Support;
using YamlDotNet.RepresentationModel;
using Nautilus.Testing;

namespace Nautilus.Tests.Pipelines;

public sealed class ComponentTests
{
    private static string Component => Path.Combine(CliRunner.RepoRoot, "ci-templates", "templates", "nautilus.yml");

    private static (YamlMappingNode Inputs, YamlMappingNode Jobs) Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Component)));
        Assert.Equal(2, stream.Documents.Count);
        var spec = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["spec"];
        return ((YamlMappingNode)spec["inputs"], (YamlMappingNode)stream.Documents[1].RootNode);
    }

    [Fact]
    [RealTool]
    public async Task Component_EveryFile_ValidatesAgainstGitLabSchema()
    {
        var files = Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "ci-templates"), "*.yml", SearchOption.AllDirectories)
            .Append(Path.Combine(CliRunner.RepoRoot, "examples", "gitlab-ci", ".gitlab-ci.yml"))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Contains(Component, files);
        Assert.Contains(Path.Combine(CliRunner.RepoRoot, "ci-templates", ".gitlab-ci.yml"), files);
        await CiSchema.AssertValidAsync(files);
    }

    [Fact]
    public void Component_Inputs_HaveDefaultsAndAreDocumented()
    {
        var (inputs, _) = Load();
        var names = inputs.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        string[] required = ["netbox_url", "work_package", "provider", "image", "terraform_image", "ansible_image", "terraform_binary", "manual_apply",
            "generate_stage", "trigger_stage"];
        Assert.All(required, name => Assert.Contains(name, names));

        // An input without a default is mandatory, and MR or branch pipelines cannot supply it.
        Assert.All(names, name =>
            Assert.True(((YamlMappingNode)inputs[name]).Children.ContainsKey(new YamlScalarNode("default")), $"input {name} has no default"));
        Assert.Equal("terraform", ((YamlScalarNode)((YamlMappingNode)inputs["terraform_binary"])["default"]).Value);

        var readme = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "ci-templates", "README.md"));
        Assert.All(names, name => Assert.Contains($"`{name}`", readme, StringComparison.Ordinal));
        Assert.Contains("include:\n  - component:", readme, StringComparison.Ordinal);
        Assert.Contains("include:\n  - project:", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Component_TriggerJob_MirrorsTheChildAndForwardsMergeRequestVariables()
    {
        var (_, jobs) = Load();
        var trigger = (YamlMappingNode)jobs["$[[ inputs.job_prefix ]]-waves"];
        var spec = (YamlMappingNode)trigger["trigger"];
        Assert.Equal("mirror", ((YamlScalarNode)spec["strategy"]).Value);
        var include = (YamlMappingNode)((YamlSequenceNode)spec["include"])[0];
        Assert.Equal("child-pipeline.yml", ((YamlScalarNode)include["artifact"]).Value);
        Assert.Equal("$[[ inputs.job_prefix ]]-generate", ((YamlScalarNode)include["job"]).Value);
        Assert.Equal("$CI_PIPELINE_ID", ((YamlScalarNode)((YamlMappingNode)trigger["variables"])["PARENT_PIPELINE_ID"]).Value);

        var mrRule = ((YamlSequenceNode)trigger["rules"]).Children.Cast<YamlMappingNode>()
            .Single(r => ((YamlScalarNode)r["if"]).Value == "$CI_MERGE_REQUEST_IID");
        var forwarded = ((YamlMappingNode)mrRule["variables"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.Contains("CI_MERGE_REQUEST_IID", forwarded);
        Assert.Contains("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", forwarded);

        var generate = (YamlMappingNode)jobs["$[[ inputs.job_prefix ]]-generate"];
        var script = string.Join("\n", ((YamlSequenceNode)generate["script"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Contains("nautilus iac generate", script, StringComparison.Ordinal);
        Assert.Contains("nautilus pipeline generate", script, StringComparison.Ordinal);
        Assert.Contains("--parent-job \"$CI_JOB_NAME\"", script, StringComparison.Ordinal);
    }
}
