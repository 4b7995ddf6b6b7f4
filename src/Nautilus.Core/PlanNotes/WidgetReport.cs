using System.Text.Json.Serialization;
using Nautilus.Core.Terraform;

namespace Nautilus.Core.PlanNotes;

/// <summary>
/// GitLab's Terraform MR widget report (artifacts:reports:terraform): exactly {"create","update","delete"}
/// (docs.gitlab.com/user/infrastructure/iac/mr_integration/). A replace counts as one create and one delete,
/// as GitLab's documented jq filter counts actions; import-only, move-only, forget and read change nothing
/// the widget can show, so they are not counted (the MR note shows them).
/// </summary>
public sealed record WidgetReport(
    [property: JsonPropertyName("create")] int Create,
    [property: JsonPropertyName("update")] int Update,
    [property: JsonPropertyName("delete")] int Delete)
{
    public static WidgetReport From(TerraformPlan plan)
    {
        int create = 0, update = 0, delete = 0;
        foreach (var r in plan.Resources)
        {
            switch (r.Action)
            {
                case PlanAction.Create:
                    create++;
                    break;
                case PlanAction.Update:
                    update++;
                    break;
                case PlanAction.Delete:
                    delete++;
                    break;
                case var a when a.IsReplace():
                    create++;
                    delete++;
                    break;
            }
        }

        return new WidgetReport(create, update, delete);
    }

    public string ToJson() => $"{{\"create\":{Create},\"update\":{Update},\"delete\":{Delete}}}";
}
