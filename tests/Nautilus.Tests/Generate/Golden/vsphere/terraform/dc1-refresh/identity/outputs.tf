# Read by nautilus (plan comment, deploy, drift): the NetBox object behind each resource address.
output "nautilus_netbox" {
  description = "NetBox identity of each resource of this wave, keyed by Terraform resource address."

  value = {
    "vsphere_virtual_machine.dc1_idm_01" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 12
      name        = "dc1-idm-01"
    }
    "vsphere_virtual_machine.dc1_idm_02" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 13
      name        = "dc1-idm-02"
    }
  }
}

output "primary_ip4" {
  description = "Primary IPv4 address of each VM, keyed by NetBox object type and id; iac deploy writes it back to NetBox."

  value = {
    "virtualization.virtualmachine/12" = vsphere_virtual_machine.dc1_idm_01.default_ip_address
    "virtualization.virtualmachine/13" = vsphere_virtual_machine.dc1_idm_02.default_ip_address
  }
}
