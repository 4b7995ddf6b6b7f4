# NetBox virtualization.virtualmachine 31 (2 vCPU, 4096 MB in NetBox)
resource "aws_instance" "dc1_web_01" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "web-server", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name
  private_ip             = "10.20.2.11"

  root_block_device {
    volume_size = 52
  }

  tags = {
    Name                 = "dc1-web-01"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "31"
    "netbox:role"        = "web-server"
  }
}

# NetBox virtualization.virtualmachine 32 (2 vCPU, 4096 MB in NetBox)
resource "aws_instance" "dc1_web_02" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "web-server", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name
  private_ip             = "10.20.2.12"

  root_block_device {
    volume_size = 52
  }

  tags = {
    Name                 = "dc1-web-02"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "32"
    "netbox:role"        = "web-server"
  }
}

# NetBox virtualization.virtualmachine 33 (2 vCPU, 4096 MB in NetBox)
resource "aws_instance" "dc1_web_03" {
  ami                    = var.ami_id
  instance_type          = lookup(var.instance_type_by_role, "web-server", var.instance_type)
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  key_name               = var.key_name

  root_block_device {
    volume_size = 52
  }

  tags = {
    Name                 = "dc1-web-03"
    "netbox:object_type" = "virtualization.virtualmachine"
    "netbox:object_id"   = "33"
    "netbox:role"        = "web-server"
  }
}
