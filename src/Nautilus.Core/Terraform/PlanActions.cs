namespace Nautilus.Core.Terraform;

public static class PlanActions
{
    public static PlanAction Classify(IReadOnlyList<string> actions) => actions switch
    {
        ["no-op"] or [] => PlanAction.NoOp,
        ["create"] => PlanAction.Create,
        ["read"] => PlanAction.Read,
        ["update"] => PlanAction.Update,
        ["delete", "create"] => PlanAction.ReplaceDestroyBeforeCreate,
        ["create", "delete"] => PlanAction.ReplaceCreateBeforeDestroy,
        ["delete"] => PlanAction.Delete,
        ["forget"] => PlanAction.Forget,
        _ => PlanAction.Unknown,
    };

    public static bool IsReplace(this PlanAction action) => action is PlanAction.ReplaceCreateBeforeDestroy or PlanAction.ReplaceDestroyBeforeCreate;

    /// <summary>Words a reviewer reads in the comment.</summary>
    public static string Describe(this PlanAction action) => action switch
    {
        PlanAction.NoOp => "no change",
        PlanAction.Create => "create",
        PlanAction.Read => "read",
        PlanAction.Update => "update in place",
        PlanAction.ReplaceDestroyBeforeCreate => "replace (destroy, then create)",
        PlanAction.ReplaceCreateBeforeDestroy => "replace (create, then destroy)",
        PlanAction.Delete => "destroy",
        PlanAction.Forget => "forget (remove from state, keep the object)",
        _ => "unknown action",
    };

    /// <summary>Terraform's own plan symbols, so the list reads like `terraform plan` output.</summary>
    public static string Symbol(this PlanAction action) => action switch
    {
        PlanAction.Create => "+",
        PlanAction.Update => "~",
        PlanAction.Delete => "-",
        PlanAction.ReplaceDestroyBeforeCreate => "-/+",
        PlanAction.ReplaceCreateBeforeDestroy => "+/-",
        PlanAction.Read => "<=",
        PlanAction.Forget => ".",
        _ => " ",
    };
}
