# NetBox virtualization.virtualmachine 12 (2 vCPU, 4096 MB in NetBox)
resource "aws_instance" "dc1_idm_01" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "identity", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name
  private_ip             = "10.20.0.21"

  root_block_device {
    volume_size = 52
  }

  tags = {
    Name                 = "dc1-idm-01"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "12"
    "netbox:role"        = "identity"
  }
}

# NetBox virtualization.virtualmachine 13 (2 vCPU, 4096 MB in NetBox)
resource "aws_instance" "dc1_idm_02" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "identity", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name
  private_ip             = "10.20.0.22"

  root_block_device {
    volume_size = 52
  }

  tags = {
    Name                 = "dc1-idm-02"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "13"
    "netbox:role"        = "identity"
  }
}
