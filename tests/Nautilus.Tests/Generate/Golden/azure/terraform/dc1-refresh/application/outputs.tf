# Read by nautilus (plan comment, deploy, drift): the NetBox object behind each resource address.
output "nautilus_netbox" {
  description = "NetBox identity of each resource of this wave, keyed by Terraform resource address."

  value = {
    "azurerm_linux_virtual_machine.dc1_web_01" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 31
      name        = "dc1-web-01"
    }
    "azurerm_linux_virtual_machine.dc1_web_02" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 32
      name        = "dc1-web-02"
    }
    "azurerm_linux_virtual_machine.dc1_web_03" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 33
      name        = "dc1-web-03"
    }
  }
}

output "primary_ip4" {
  description = "Primary IPv4 address of each VM, keyed by NetBox object type and id; iac deploy writes it back to NetBox."

  value = {
    "virtualization.virtualmachine/31" = azurerm_linux_virtual_machine.dc1_web_01.private_ip_address
    "virtualization.virtualmachine/32" = azurerm_linux_virtual_machine.dc1_web_02.private_ip_address
    "virtualization.virtualmachine/33" = azurerm_linux_virtual_machine.dc1_web_03.private_ip_address
  }
}
