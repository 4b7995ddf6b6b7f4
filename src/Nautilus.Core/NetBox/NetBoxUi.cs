namespace Nautilus.Core.NetBox;

/// <summary>Where NetBox's web UI shows an object, in main or inside a netbox-branching branch.</summary>
public static class NetBoxUi
{
    /// <summary>
    /// The UI path of a content type ("virtualization.virtualmachine" → "virtualization/virtual-machines"); null for a
    /// type Nautilus does not link.
    /// </summary>
    public static string? PathOf(string objectType) => objectType switch
    {
        "virtualization.virtualmachine" => "virtualization/virtual-machines",
        "virtualization.vminterface" => "virtualization/interfaces",
        "virtualization.cluster" => "virtualization/clusters",
        "dcim.device" => "dcim/devices",
        "dcim.interface" => "dcim/interfaces",
        "dcim.site" => "dcim/sites",
        "dcim.devicerole" => "dcim/device-roles",
        "ipam.ipaddress" => "ipam/ip-addresses",
        "extras.tag" => "extras/tags",
        "extras.journalentry" => "extras/journal-entries",
        _ => null,
    };

    /// <summary>A reader's name for a content type.</summary>
    public static string NounOf(string objectType) => objectType switch
    {
        "virtualization.virtualmachine" => "virtual machine",
        "virtualization.vminterface" or "dcim.interface" => "interface",
        "virtualization.cluster" => "cluster",
        "dcim.device" => "device",
        "dcim.site" => "site",
        "dcim.devicerole" => "role",
        "ipam.ipaddress" => "IP address",
        "extras.tag" => "tag",
        "extras.journalentry" => "journal entry",
        _ => objectType,
    };

    /// <summary>
    /// The object's page; with <paramref name="branchSchemaId"/>, as seen inside that branch (the plugin activates the
    /// branch named by the _branch query parameter, netbox_branching/constants.py QUERY_PARAM).
    /// </summary>
    public static string? ObjectUrl(string? netBoxUrl, string objectType, int id, string? branchSchemaId = null)
    {
        if (string.IsNullOrEmpty(netBoxUrl) || PathOf(objectType) is not { } path)
        {
            return null;
        }

        var url = $"{netBoxUrl.TrimEnd('/')}/{path}/{id}/";
        return branchSchemaId is null ? url : $"{url}?_branch={Uri.EscapeDataString(branchSchemaId)}";
    }
}
