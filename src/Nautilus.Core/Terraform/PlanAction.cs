namespace Nautilus.Core.Terraform;

/// <summary>What a change does, from its actions list (developer.hashicorp.com/terraform/internals/json-format#change-representation).</summary>
public enum PlanAction
{
    NoOp,
    Create,
    Read,
    Update,

    /// <summary>["delete","create"]: destroy first, then create (the default).</summary>
    ReplaceDestroyBeforeCreate,

    /// <summary>["create","delete"]: create_before_destroy.</summary>
    ReplaceCreateBeforeDestroy,
    Delete,

    /// <summary>["forget"] (Terraform ≥ 1.7 removed blocks with destroy = false): leaves state, the object stays.</summary>
    Forget,

    /// <summary>An action list this version does not know; shown as Terraform wrote it.</summary>
    Unknown,
}
