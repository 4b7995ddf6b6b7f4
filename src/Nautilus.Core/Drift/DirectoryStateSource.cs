using System.Text.Json;
using Nautilus.Core.GitLab;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.Drift;

/// <summary>DIR/&lt;state name&gt;.json or .tfstate, for air-gapped checks and for tests.</summary>
public sealed class DirectoryStateSource(string directory) : ITerraformStateSource
{
    public string Description => $"directory {directory}";

    public async Task<TerraformState?> GetAsync(string stateName, CancellationToken cancellationToken)
    {
        var path = new[] { ".json", ".tfstate" }.Select(e => Path.Combine(directory, stateName + e)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        TerraformState? state;
        try
        {
            await using var stream = File.OpenRead(path);
            state = await JsonSerializer.DeserializeAsync<TerraformState>(stream, GitLabServiceCollectionExtensions.JsonOptions, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw NautilusException.InvalidData($"{path} is not a Terraform state file ({ex.Message}).");
        }

        if (state is null || state.Version != 4)
        {
            throw NautilusException.InvalidData($"{path} has state format version " +
                $"{state?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; Nautilus reads version 4 (Terraform ≥ 0.12, " +
                $"OpenTofu).");
        }

        return state;
    }
}
