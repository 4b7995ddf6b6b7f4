using Refit;

namespace Nautilus.Core.NetBox;

/// <summary>
/// NetBox's REST API, the parts Nautilus uses. Trailing slashes are required: without them NetBox
/// redirects, which breaks non-GET requests (docs/design.md §2).
/// </summary>
public interface INetBoxApi
{
    [Get("/api/status/")]
    Task<NetBoxStatus> GetStatusAsync(CancellationToken cancellationToken);

    [Get("/api/virtualization/virtual-machines/")]
    Task<Page<VirtualMachine>> ListVirtualMachinesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query,
        CancellationToken cancellationToken);

    [Get("/api/dcim/devices/")]
    Task<Page<Device>> ListDevicesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    [Patch("/api/virtualization/virtual-machines/")]
    Task<List<VirtualMachine>> BulkUpdateVirtualMachinesAsync([Body] IReadOnlyList<IDictionary<string, object?>> changes, CancellationToken cancellationToken);

    [Patch("/api/dcim/devices/")]
    Task<List<Device>> BulkUpdateDevicesAsync([Body] IReadOnlyList<IDictionary<string, object?>> changes, CancellationToken cancellationToken);

    [Post("/api/virtualization/virtual-machines/")]
    Task<VirtualMachine> CreateVirtualMachineAsync([Body] IDictionary<string, object?> vm, CancellationToken cancellationToken);

    [Get("/api/extras/tags/")]
    Task<Page<Tag>> ListTagsAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    [Post("/api/extras/tags/")]
    Task<Tag> CreateTagAsync([Body] IDictionary<string, object?> tag, CancellationToken cancellationToken);

    [Get("/api/extras/custom-fields/")]
    Task<Page<CustomField>> ListCustomFieldsAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query,
        CancellationToken cancellationToken);

    [Post("/api/extras/custom-fields/")]
    Task<CustomField> CreateCustomFieldAsync([Body] IDictionary<string, object?> field, CancellationToken cancellationToken);

    [Get("/api/extras/custom-field-choice-sets/")]
    Task<Page<NestedRef>> ListChoiceSetsAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    [Post("/api/extras/custom-field-choice-sets/")]
    Task<NestedRef> CreateChoiceSetAsync([Body] IDictionary<string, object?> choiceSet, CancellationToken cancellationToken);

    [Get("/api/extras/journal-entries/")]
    Task<Page<JournalEntry>> ListJournalEntriesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query,
        CancellationToken cancellationToken);

    [Post("/api/extras/journal-entries/")]
    Task<List<JournalEntry>> CreateJournalEntriesAsync([Body] IReadOnlyList<NewJournalEntry> entries, CancellationToken cancellationToken);

    [Get("/api/ipam/ip-addresses/")]
    Task<Page<IpAddress>> ListIpAddressesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    [Post("/api/ipam/ip-addresses/")]
    Task<IpAddress> CreateIpAddressAsync([Body] IDictionary<string, object?> address, CancellationToken cancellationToken);

    [Patch("/api/ipam/ip-addresses/")]
    Task<List<IpAddress>> BulkUpdateIpAddressesAsync([Body] IReadOnlyList<IDictionary<string, object?>> changes, CancellationToken cancellationToken);

    /// <summary>Bulk create: NetBox answers a POSTed array with the created objects in order (docs/design.md §2).</summary>
    [Post("/api/ipam/ip-addresses/")]
    Task<List<IpAddress>> CreateIpAddressesAsync([Body] IReadOnlyList<IDictionary<string, object?>> addresses, CancellationToken cancellationToken);

    [Get("/api/virtualization/interfaces/")]
    Task<Page<NetBoxInterface>> ListVmInterfacesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query,
        CancellationToken cancellationToken);

    [Post("/api/virtualization/interfaces/")]
    Task<List<NetBoxInterface>> CreateVmInterfacesAsync([Body] IReadOnlyList<IDictionary<string, object?>> interfaces, CancellationToken cancellationToken);

    [Get("/api/dcim/interfaces/")]
    Task<Page<NetBoxInterface>> ListDeviceInterfacesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query,
        CancellationToken cancellationToken);

    [Post("/api/dcim/interfaces/")]
    Task<List<NetBoxInterface>> CreateDeviceInterfacesAsync([Body] IReadOnlyList<IDictionary<string, object?>> interfaces, CancellationToken cancellationToken);

    /// <summary>Roles of devices and VMs share one model and endpoint in NetBox 4 (VM roles are device roles with vm_role).</summary>
    [Get("/api/dcim/device-roles/")]
    Task<Page<NestedRef>> ListRolesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    [Get("/api/virtualization/clusters/")]
    Task<Page<NestedRef>> ListClustersAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    [Get("/api/dcim/sites/")]
    Task<Page<NestedRef>> ListSitesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    // The netbox-branching plugin (docs/rest-api.md). Requests about a branch itself carry no X-NetBox-Branch header.

    /// <summary>The plugin's API root: 200 when the plugin is installed, 404 (passed through, not an error) when not.</summary>
    [Get("/api/plugins/branching/")]
    Task<HttpResponseMessage> GetBranchingRootAsync(CancellationToken cancellationToken);

    [Get("/api/plugins/branching/branches/")]
    Task<Page<NetBoxBranch>> ListBranchesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    [Get("/api/plugins/branching/branches/{id}/")]
    Task<NetBoxBranch> GetBranchAsync(int id, CancellationToken cancellationToken);

    /// <summary>Answers 201 with status new; provisioning then runs as a background job.</summary>
    [Post("/api/plugins/branching/branches/")]
    Task<NetBoxBranch> CreateBranchAsync([Body] IDictionary<string, object?> branch, CancellationToken cancellationToken);

    [Delete("/api/plugins/branching/branches/{id}/")]
    Task DeleteBranchAsync(int id, CancellationToken cancellationToken);

    /// <summary>A core Job, or 409 with the conflicts (passed through: the caller reads them).</summary>
    [Post("/api/plugins/branching/branches/{id}/merge/")]
    Task<HttpResponseMessage> MergeBranchAsync(int id, [Body] IDictionary<string, object?> body, CancellationToken cancellationToken);

    /// <summary>A core Job, or 409 with the conflicts (passed through: the caller reads them).</summary>
    [Post("/api/plugins/branching/branches/{id}/sync/")]
    Task<HttpResponseMessage> SyncBranchAsync(int id, [Body] IDictionary<string, object?> body, CancellationToken cancellationToken);

    [Get("/api/plugins/branching/changes/")]
    Task<Page<ChangeDiff>> ListChangesAsync([QueryConverter(typeof(QueryConverter))] IDictionary<string, object> query, CancellationToken cancellationToken);

    [Get("/api/core/jobs/{id}/")]
    Task<NetBoxJob> GetJobAsync(int id, CancellationToken cancellationToken);
}
