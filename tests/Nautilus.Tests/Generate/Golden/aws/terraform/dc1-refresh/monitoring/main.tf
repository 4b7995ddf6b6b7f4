# NetBox virtualization.virtualmachine 41 (2 vCPU, 4096 MB in NetBox)
resource "aws_instance" "dc1_mon_01" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "monitoring", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name
  private_ip             = "10.20.3.11"

  root_block_device {
    volume_size = 52
  }

  tags = {
    Name                 = "dc1-mon-01"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "41"
    "netbox:role"        = "monitoring"
  }
}

# NetBox virtualization.virtualmachine 42 (2 vCPU, 4096 MB in NetBox)
resource "aws_instance" "dc1_mon_02" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "monitoring", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name

  root_block_device {
    volume_size = 52
  }

  tags = {
    Name                 = "dc1-mon-02"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "42"
    "netbox:role"        = "monitoring"
  }
}
