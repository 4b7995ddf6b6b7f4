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

    /// <summary>The object's page as the manifest records it (its display_url in the export or NetBox).</summary>
    public string? Url { get; init; }

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

    /// <summary>Under the configured NetBox URL when there is one, else the page the manifest recorded (http(s) only).</summary>
    public string? LinkUnder(string? netBoxUrl) =>
        UrlUnder(netBoxUrl)
        ?? (Url is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? url : null);
}
