using System.Text;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Nautilus.Core.Pipelines;

/// <summary>A generated child pipeline: global variables, stages and jobs in a stable order.</summary>
public sealed record ChildPipeline
{
    public required string Header { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Variables { get; init; }

    public CiDefault? Default { get; init; }

    public required IReadOnlyList<string> Stages { get; init; }

    public required IReadOnlyList<KeyValuePair<string, CiJob>> Jobs { get; init; }

    /// <summary>What the generator had to work around (needs over the limit), for the log.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(NullNamingConvention.Instance)
        // Null is omitted; an empty list stays, because `needs: []` (start at once) differs from no `needs` (stage order).
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .WithIndentedSequences()
        .Build();

    public string ToYaml()
    {
        // An ordered mapping keeps GitLab's usual reading order: variables, default, stages, then jobs as generated.
        var document = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        if (Variables.Count > 0)
        {
            document["variables"] = new OrderedDictionary<string, string>(Variables, StringComparer.Ordinal);
        }

        if (Default?.Image is not null)
        {
            document["default"] = Default;
        }

        document["stages"] = Stages;
        foreach (var (name, job) in Jobs)
        {
            document[name] = job;
        }

        var sb = new StringBuilder();
        foreach (var line in Header.Split('\n'))
        {
            sb.Append("# ").Append(line).Append('\n');
        }

        sb.Append(Serializer.Serialize(document).ReplaceLineEndings("\n"));
        return sb.ToString();
    }
}
