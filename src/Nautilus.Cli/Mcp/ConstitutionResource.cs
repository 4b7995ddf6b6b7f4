using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Nautilus.Cli.Mcp;

[McpServerResourceType]
internal sealed class ConstitutionResource
{
    public const string Uri = "nautilus://constitution";

    [McpServerResource(UriTemplate = Uri, Name = "NAUTILUS.md", MimeType = "text/markdown"),
        Description("The constitution for AI agents driving Nautilus: intent → command map, safety protocol, exit codes. Read it before acting.")]
    public static string Read() => Text.Value;

    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(ConstitutionResource).Assembly.GetManifestResourceStream("NAUTILUS.md")
            ?? throw new InvalidOperationException("NAUTILUS.md is not embedded in the tool.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
