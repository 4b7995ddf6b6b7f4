# Read by nautilus (plan comment, deploy, drift): the NetBox object behind each resource address.
output "nautilus_netbox" {
  description = "NetBox identity of each resource of this wave, keyed by Terraform resource address."

  value = {
    "aws_instance.dc1_web_01" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 31
      name        = "dc1-web-01"
    }
    "aws_instance.dc1_web_02" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 32
      name        = "dc1-web-02"
    }
    "aws_instance.dc1_web_03" = {
      object_type = "virtualization.virtualmachine"
      object_id   = 33
      name        = "dc1-web-03"
    }
  }
}

output "primary_ip4" {
  description = "Primary IPv4 address of each VM, keyed by NetBox object type and id; iac deploy writes it back to NetBox."

  value = {
    "virtualization.virtualmachine/31" = aws_instance.dc1_web_01.private_ip
    "virtualization.virtualmachine/32" = aws_instance.dc1_web_02.private_ip
    "virtualization.virtualmachine/33" = aws_instance.dc1_web_03.private_ip
  }
}
