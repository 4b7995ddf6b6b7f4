# Read by nautilus (plan comment, deploy, drift): the NetBox object behind each resource address.
output "nautilus_netbox" {
  description = "NetBox identity of each resource of this wave, keyed by Terraform resource address."

  value = {
    "vsphere_virtual_machine.dc1_nfs_gw_01" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 11
      name        = "dc1-nfs-gw-01"
    }
  }
}

output "primary_ip4" {
  description = "Primary IPv4 address of each VM, keyed by NetBox object type and id; iac deploy writes it back to NetBox."

  value = {
    "virtualization.virtualmachine/11" = vsphere_virtual_machine.dc1_nfs_gw_01.default_ip_address
  }
}
