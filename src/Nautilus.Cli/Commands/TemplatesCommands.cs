using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nautilus.Core.Rendering;

namespace Nautilus.Cli.Commands;

/// <summary>`nautilus templates …`: which Scriban template each name resolves to.</summary>
internal static class TemplatesCommands
{
    public static Command Create(CliContextFactory contexts)
    {
        var group = new Command("templates", "Scriban templates behind iac generate: built-in, or overridden with --templates DIR.");
        group.Subcommands.Add(List(contexts));
        return group;
    }

    private static Command List(CliContextFactory contexts)
    {
        var templates = IacCommands.TemplatesOption();
        var format = CommonOptions.Format("text", "json");
        var command = new Command("list", "List every template name and the file it resolves to (built-in, or the override in --templates DIR).");
        command.Options.Add(templates);
        command.Options.Add(format);
        command.SetAction(async (result, ct) =>
        {
            var context = contexts.Get();
            var store = TemplateStore.Load(IacCommands.ResolvePath(context, result.GetValue(templates)));
            var rows = store.All.Select(t => new TemplateRow(t.Name, t.IsOverride ? t.Origin : TemplateStore.BuiltInOrigin, t.IsOverride)).ToList();
            foreach (var unused in store.Unused)
            {
                await context.Error.WriteLineAsync("warning: " + unused).ConfigureAwait(false);
            }

            if (result.GetValue(format) == "json")
            {
                await context.Out.WriteAsync(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }) + "\n").ConfigureAwait(false);
                return 0;
            }

            var width = rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length);
            foreach (var row in rows)
            {
                await context.Out.WriteLineAsync($"{row.Name.PadRight(width)}  {row.Origin}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private sealed record TemplateRow(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("origin")] string Origin,
        [property: JsonPropertyName("override")] bool Override);
}
