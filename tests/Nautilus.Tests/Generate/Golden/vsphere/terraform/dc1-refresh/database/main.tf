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

data "vsphere_virtual_machine" "template" {
  name          = var.vsphere_template
  datacenter_id = data.vsphere_datacenter.this.id
}

data "vsphere_compute_cluster" "vsphere_prod_a" {
  name          = "vsphere-prod-a"
  datacenter_id = data.vsphere_datacenter.this.id
}

# NetBox virtualization.virtualmachine 21
resource "vsphere_virtual_machine" "dc1_db_01" {
  name             = "dc1-db-01"
  resource_pool_id = data.vsphere_compute_cluster.vsphere_prod_a.resource_pool_id
  datastore_id     = data.vsphere_datastore.this.id
  num_cpus         = 8
  memory           = 32768
  guest_id         = data.vsphere_virtual_machine.template.guest_id
  firmware         = data.vsphere_virtual_machine.template.firmware
  scsi_type        = data.vsphere_virtual_machine.template.scsi_type
  annotation       = "NetBox virtualization.virtualmachine 21 https://netbox.example.com/virtualization/virtual-machines/21/"

  network_interface {
    network_id   = data.vsphere_network.this.id
    adapter_type = data.vsphere_virtual_machine.template.network_interface_types[0]
  }

  disk {
    label            = "disk0"
    size             = 512
    thin_provisioned = data.vsphere_virtual_machine.template.disks[0].thin_provisioned
  }

  clone {
    template_uuid = data.vsphere_virtual_machine.template.id

    customize {
      linux_options {
        host_name = "dc1-db-01"
        domain    = var.domain
      }

      network_interface {
        ipv4_address = "10.20.1.11"
        ipv4_netmask = 24
      }

      ipv4_gateway    = var.ipv4_gateway
      dns_server_list = var.dns_servers
    }
  }
}

# NetBox virtualization.virtualmachine 22
resource "vsphere_virtual_machine" "dc1_db_02" {
  name             = "dc1-db-02"
  resource_pool_id = data.vsphere_compute_cluster.vsphere_prod_a.resource_pool_id
  datastore_id     = data.vsphere_datastore.this.id
  num_cpus         = 8
  memory           = 32768
  guest_id         = data.vsphere_virtual_machine.template.guest_id
  firmware         = data.vsphere_virtual_machine.template.firmware
  scsi_type        = data.vsphere_virtual_machine.template.scsi_type
  annotation       = "NetBox virtualization.virtualmachine 22 https://netbox.example.com/virtualization/virtual-machines/22/\nReplica of dc1-db-01"

  network_interface {
    network_id   = data.vsphere_network.this.id
    adapter_type = data.vsphere_virtual_machine.template.network_interface_types[0]
  }

  disk {
    label            = "disk0"
    size             = 512
    thin_provisioned = data.vsphere_virtual_machine.template.disks[0].thin_provisioned
  }

  clone {
    template_uuid = data.vsphere_virtual_machine.template.id

    customize {
      linux_options {
        host_name = "dc1-db-02"
        domain    = var.domain
      }

      network_interface {
        ipv4_address = "10.20.1.12"
        ipv4_netmask = 24
      }

      ipv4_gateway    = var.ipv4_gateway
      dns_server_list = var.dns_servers
    }
  }
}
