# Read by nautilus (plan comment, deploy, drift): the NetBox object behind each resource address.
output "nautilus_netbox" {
  description = "NetBox identity of each resource of this wave, keyed by Terraform resource address."

  value = {
    "terraform_data.dc1_leaf_01" = {
      object_type = "dcim.device"
      object_id   = 1
      name        = "dc1-leaf-01"
    }
    "terraform_data.dc1_leaf_02" = {
      object_type = "dcim.device"
      object_id   = 2
      name        = "dc1-leaf-02"
    }
  }
}

output "primary_ip4" {
  description = "Primary IPv4 address of each VM, keyed by NetBox object type and id; iac deploy writes it back to NetBox."

  value = {}
}
