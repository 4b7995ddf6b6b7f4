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

# NetBox virtualization.virtualmachine 12
resource "vsphere_virtual_machine" "dc1_idm_01" {
  name             = "dc1-idm-01"
  resource_pool_id = data.vsphere_compute_cluster.vsphere_prod_a.resource_pool_id
  datastore_id     = data.vsphere_datastore.this.id
  num_cpus         = 2
  memory           = 4096
  guest_id         = data.vsphere_virtual_machine.template.guest_id
  firmware         = data.vsphere_virtual_machine.template.firmware
  scsi_type        = data.vsphere_virtual_machine.template.scsi_type
  annotation       = "NetBox virtualization.virtualmachine 12 https://netbox.example.com/virtualization/virtual-machines/12/"

  network_interface {
    network_id   = data.vsphere_network.this.id
    adapter_type = data.vsphere_virtual_machine.template.network_interface_types[0]
  }

  disk {
    label            = "disk0"
    size             = 52
    thin_provisioned = data.vsphere_virtual_machine.template.disks[0].thin_provisioned
  }

  clone {
    template_uuid = data.vsphere_virtual_machine.template.id

    customize {
      linux_options {
        host_name = "dc1-idm-01"
        domain    = var.domain
      }

      network_interface {
        ipv4_address = "10.20.0.21"
        ipv4_netmask = 24
      }

      ipv4_gateway    = var.ipv4_gateway
      dns_server_list = var.dns_servers
    }
  }
}

# NetBox virtualization.virtualmachine 13
resource "vsphere_virtual_machine" "dc1_idm_02" {
  name             = "dc1-idm-02"
  resource_pool_id = data.vsphere_compute_cluster.vsphere_prod_a.resource_pool_id
  datastore_id     = data.vsphere_datastore.this.id
  num_cpus         = 2
  memory           = 4096
  guest_id         = data.vsphere_virtual_machine.template.guest_id
  firmware         = data.vsphere_virtual_machine.template.firmware
  scsi_type        = data.vsphere_virtual_machine.template.scsi_type
  annotation       = "NetBox virtualization.virtualmachine 13 https://netbox.example.com/virtualization/virtual-machines/13/"

  network_interface {
    network_id   = data.vsphere_network.this.id
    adapter_type = data.vsphere_virtual_machine.template.network_interface_types[0]
  }

  disk {
    label            = "disk0"
    size             = 52
    thin_provisioned = data.vsphere_virtual_machine.template.disks[0].thin_provisioned
  }

  clone {
    template_uuid = data.vsphere_virtual_machine.template.id

    customize {
      linux_options {
        host_name = "dc1-idm-02"
        domain    = var.domain
      }

      network_interface {
        ipv4_address = "10.20.0.22"
        ipv4_netmask = 24
      }

      ipv4_gateway    = var.ipv4_gateway
      dns_server_list = var.dns_servers
    }
  }
}
