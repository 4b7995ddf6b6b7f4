data "vsphere_datacenter" "this" {
  name = var.vsphere_datacenter
}

data "vsphere_datastore" "this" {
  name          = var.vsphere_datastore
  datacenter_id = data.vsphere_datacenter.this.id
}

data "vsphere_network" "this" {
  name          = var.vsphere_network
  datacenter_id = data.vsphere_datacenter.this.id
}

# NetBox dcim.device 1: a physical device, recorded so the wave's plan and state list it.
resource "terraform_data" "dc1_leaf_01" {
  input = {
    netbox_object_type = "dcim.device"
    netbox_object_id   = 1
    name               = "dc1-leaf-01"
    device_type        = "7050sx3-48yc8"
    serial             = null
    primary_ip4        = "10.10.0.11"
  }
}

# NetBox dcim.device 2: a physical device, recorded so the wave's plan and state list it.
resource "terraform_data" "dc1_leaf_02" {
  input = {
    netbox_object_type = "dcim.device"
    netbox_object_id   = 2
    name               = "dc1-leaf-02"
    device_type        = "7050sx3-48yc8"
    serial             = null
    primary_ip4        = "10.10.0.12"
  }
}
