# Read by nautilus (plan comment, deploy, drift): the NetBox object behind each resource address.
output "nautilus_netbox" {
  description = "NetBox identity of each resource of this wave, keyed by Terraform resource address."

  value = {
    "azurerm_linux_virtual_machine.dc1_mon_01" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 41
      name        = "dc1-mon-01"
    }
    "azurerm_linux_virtual_machine.dc1_mon_02" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 42
      name        = "dc1-mon-02"
    }
  }
}

output "primary_ip4" {
  description = "Primary IPv4 address of each VM, keyed by NetBox object type and id; iac deploy writes it back to NetBox."

  value = {
    "virtualization.virtualmachine/41" = azurerm_linux_virtual_machine.dc1_mon_01.private_ip_address
    "virtualization.virtualmachine/42" = azurerm_linux_virtual_machine.dc1_mon_02.private_ip_address
  }
}
