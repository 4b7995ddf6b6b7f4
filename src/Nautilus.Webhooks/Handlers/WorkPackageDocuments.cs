using System.Text.RegularExpressions;
using Nautilus.Core;
using Nautilus.Core.NetBox;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Nautilus.Webhooks.Handlers;

/// <summary>A NetBox list filter from a work package's front matter, e.g. virtual_machines: [{name__isw: web-}].</summary>
public sealed record ObjectSelector(ObjectKind Kind, IReadOnlyDictionary<string, string> Filter);

/// <summary>Reads the netbox: selectors from the YAML front matter of docs/work-packages/&lt;wp&gt;.md.</summary>
public static partial class FrontMatter
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "limit", "offset", "fields", "ordering", "brief", "exclude", "omit",
        "format", "start" };

    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex FilterName();

    /// <summary>Every problem is collected and reported together, naming the file (exit 3 / dead letter).</summary>
    public static IReadOnlyList<ObjectSelector> Selectors(string markdown, string path)
    {
        var text = markdown.ReplaceLineEndings("\n");
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            return [];
        }

        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw NautilusException.InvalidData($"{path}: the front matter starting with '---' has no closing '---' line. Close it, or remove the opening " +
                $"line.");
        }

        object? root;
        try
        {
            root = new DeserializerBuilder().Build().Deserialize<object?>(text[4..end]);
        }
        catch (YamlException ex)
        {
            throw NautilusException.InvalidData($"{path}: the front matter is not valid YAML (line {ex.Start.Line}): {ex.Message}");
        }

        if (root is not IDictionary<object, object?> map || !map.TryGetValue("netbox", out var netbox) || netbox is null)
        {
            return [];
        }

        var problems = new List<string>();
        var selectors = new List<ObjectSelector>();
        if (netbox is not IDictionary<object, object?> sections)
        {
            throw NautilusException.InvalidData($"{path}: 'netbox' in the front matter must be a mapping with virtual_machines and/or devices lists.");
        }

        foreach (var (key, value) in sections)
        {
            var kind = (key as string) switch
            {
                "virtual_machines" => ObjectKind.VirtualMachine,
                "devices" => (ObjectKind?)ObjectKind.Device,
                _ => null,
            };
            if (kind is null)
            {
                problems.Add($"netbox.{key} is not known; use virtual_machines or devices");
                continue;
            }

            if (value is not IList<object?> list)
            {
                problems.Add($"netbox.{key} must be a list of filters, e.g. - name__isw: web-");
                continue;
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not IDictionary<object, object?> filter || filter.Count == 0)
                {
                    problems.Add($"netbox.{key}[{i}] must be a non-empty mapping of NetBox filters (an empty one would select every object)");
                    continue;
                }

                var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (name, raw) in filter)
                {
                    var filterName = name as string ?? "";
                    if (!FilterName().IsMatch(filterName) || Reserved.Contains(filterName))
                    {
                        problems.Add($"netbox.{key}[{i}].{name} is not a NetBox filter name Nautilus accepts (a-z, 0-9, _; not paging or output options)");
                    }
                    else if (raw is string or null)
                    {
                        parameters[filterName] = raw as string ?? "";
                    }
                    else
                    {
                        problems.Add($"netbox.{key}[{i}].{name} must be a single value");
                    }
                }

                selectors.Add(new ObjectSelector(kind.Value, parameters));
            }
        }

        if (problems.Count > 0)
        {
            throw NautilusException.InvalidData($"{path}: the netbox selectors in the front matter are invalid:\n- {string.Join("\n- ", problems)}", problems);
        }

        return selectors;
    }
}
