# NetBox virtualization.virtualmachine 11 (4 vCPU, 8192 MB in NetBox)
resource "aws_instance" "dc1_nfs_gw_01" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "storage-gateway", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name
  private_ip             = "10.20.0.11"

  root_block_device {
    volume_size = 103
  }

  tags = {
    Name                 = "dc1-nfs-gw-01"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "11"
    "netbox:role"        = "storage-gateway"
  }
}
