using Nautilus.Core.Terraform;

namespace Nautilus.Core.Drift;

/// <summary>Where drift reads Terraform states from: GitLab's state API, or files (`terraform state pull` output).</summary>
public interface ITerraformStateSource
{
    /// <summary>"GitLab project 42" / "directory states/", for messages.</summary>
    string Description { get; }

    /// <summary>The state, or null when there is none (a wave never applied counts as empty).</summary>
    Task<TerraformState?> GetAsync(string stateName, CancellationToken cancellationToken);
}
