using Nautilus.Core.GitLab;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.Drift;

public sealed class GitLabStateSource(GitLabClient client, GitLabProjectRef project) : ITerraformStateSource
{
    public string Description => $"GitLab project {project}";

    public Task<TerraformState?> GetAsync(string stateName, CancellationToken cancellationToken) =>
        client.TerraformStateAsync(project, stateName, cancellationToken);
}
