namespace Nautilus.Core.Terraform;

/// <summary>
/// GitLab-managed Terraform state through the http backend, configured by TF_HTTP_* variables rather than
/// -backend-config, which Terraform would cache into .terraform and plan files (docs/design.md §13):
/// address …/projects/:id/terraform/state/:name, lock and unlock at …/lock with POST and DELETE.
/// </summary>
public sealed record StateBackend(string ApiV4Url, string Project, string Username, string Password)
{
    public string AddressOf(string stateName) =>
        $"{ApiV4Url.TrimEnd('/')}/projects/{Uri.EscapeDataString(Project)}/terraform/state/{Uri.EscapeDataString(stateName)}";

    public IReadOnlyDictionary<string, string> EnvironmentFor(string stateName)
    {
        var address = AddressOf(stateName);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TF_HTTP_ADDRESS"] = address,
            ["TF_HTTP_LOCK_ADDRESS"] = address + "/lock",
            ["TF_HTTP_UNLOCK_ADDRESS"] = address + "/lock",
            ["TF_HTTP_LOCK_METHOD"] = "POST",
            ["TF_HTTP_UNLOCK_METHOD"] = "DELETE",
            ["TF_HTTP_RETRY_WAIT_MIN"] = "5",
            ["TF_HTTP_USERNAME"] = Username,
            ["TF_HTTP_PASSWORD"] = Password,
        };
    }
}
