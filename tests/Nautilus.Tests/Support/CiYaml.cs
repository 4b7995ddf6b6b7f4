using YamlDotNet.RepresentationModel;

namespace Nautilus.Tests.Support;

/// <summary>Reads a generated CI file back as YAML nodes, for assertions on jobs, needs and rules.</summary>
public sealed class CiYaml
{
    private readonly YamlMappingNode _root;

    public CiYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        _root = (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static readonly HashSet<string> GlobalKeys = ["variables", "default", "stages", "workflow", "include", "spec"];

    public IReadOnlyList<string> JobNames =>
        _root.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(k => !GlobalKeys.Contains(k) && !k.StartsWith('.')).ToList();

    public IReadOnlyList<string> Stages => ((YamlSequenceNode)_root["stages"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    public YamlMappingNode Job(string name) =>
        _root.Children.TryGetValue(new YamlScalarNode(name), out var node) ? (YamlMappingNode)node
            : throw new Xunit.Sdk.XunitException($"no job '{name}' in: {string.Join(", ", JobNames)}");

    public bool HasJob(string name) => _root.Children.ContainsKey(new YamlScalarNode(name));

    public static string? Scalar(YamlMappingNode job, string key) =>
        job.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    /// <summary>The `needs` of a job: null when it has none (stage order), else job names (parent-pipeline needs as "pipeline:job").</summary>
    public IReadOnlyList<string>? Needs(string name)
    {
        var job = Job(name);
        if (!job.Children.TryGetValue(new YamlScalarNode("needs"), out var node))
        {
            return null;
        }

        return ((YamlSequenceNode)node).Children.Select(n => n switch
        {
            YamlScalarNode s => s.Value!,
            YamlMappingNode m when m.Children.ContainsKey(new YamlScalarNode("pipeline")) => "pipeline:" + ((YamlScalarNode)m["job"]).Value,
            YamlMappingNode m => ((YamlScalarNode)m["job"]).Value!,
            _ => throw new InvalidOperationException(),
        }).ToList();
    }

    public IReadOnlyList<string> Script(string name) =>
        ((YamlSequenceNode)Job(name)["script"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    public IReadOnlyList<(string? If, string? When)> Rules(string name) =>
        Job(name).Children.TryGetValue(new YamlScalarNode("rules"), out var node)
            ? ((YamlSequenceNode)node).Children.Cast<YamlMappingNode>().Select(r => (Scalar(r, "if"), Scalar(r, "when"))).ToList()
            : [];

    public string? Variable(string job, string variable) =>
        Job(job).Children.TryGetValue(new YamlScalarNode("variables"), out var node) ? Scalar((YamlMappingNode)node, variable) : null;

    public string? GlobalVariable(string variable) => Scalar((YamlMappingNode)_root["variables"], variable);

    public YamlMappingNode? Mapping(string job, string key) =>
        Job(job).Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as YamlMappingNode : null;
}
