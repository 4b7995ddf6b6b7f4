namespace Nautilus.Core.PlanNotes;

/// <summary>The NetBox object a Terraform resource stands for.</summary>
public sealed record NetBoxIdentity(string ObjectType, int Id, string? Name)
{
    public string Kind => ObjectType switch
    {
        "virtualization.virtualmachine" => "VM",
        "dcim.device" => "device",
        _ => ObjectType,
    };

    /// <summary>The object's page in NetBox's UI.</summary>
    public string? UrlUnder(string? netBoxUrl)
    {
        var path = ObjectType switch
        {
            "virtualization.virtualmachine" => "virtualization/virtual-machines",
            "dcim.device" => "dcim/devices",
            _ => null,
        };
        return path is null || string.IsNullOrEmpty(netBoxUrl) ? null : $"{netBoxUrl.TrimEnd('/')}/{path}/{Id}/";
    }
}
