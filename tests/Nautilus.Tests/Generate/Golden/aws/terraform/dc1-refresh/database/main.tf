# NetBox virtualization.virtualmachine 21 (8 vCPU, 32768 MB in NetBox)
resource "aws_instance" "dc1_db_01" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "database-server", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name
  private_ip             = "10.20.1.11"

  root_block_device {
    volume_size = 512
  }

  tags = {
    Name                 = "dc1-db-01"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "21"
    "netbox:role"        = "database-server"
  }
}

# NetBox virtualization.virtualmachine 22 (8 vCPU, 32768 MB in NetBox)
resource "aws_instance" "dc1_db_02" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "database-server", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name
  private_ip             = "10.20.1.12"

  root_block_device {
    volume_size = 512
  }

  tags = {
    Name                 = "dc1-db-02"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "22"
    "netbox:role"        = "database-server"
  }
}
