# NetBox virtualization.virtualmachine 12 (2 vCPU, 4096 MB in NetBox)
resource "azurerm_network_interface" "dc1_idm_01" {
  name                = "dc1-idm-01-nic"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    netbox_object_type = "virtualization.virtualmachine"
    netbox_object_id   = "12"
  }

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.20.0.21"
  }
}

resource "azurerm_linux_virtual_machine" "dc1_idm_01" {
  name                  = "dc1-idm-01"
  computer_name         = "dc1-idm-01"
  location              = var.location
  resource_group_name   = var.resource_group_name
  size                  = lookup(var.vm_size_by_role, "identity", var.vm_size)
  admin_username        = var.admin_username
  network_interface_ids = [azurerm_network_interface.dc1_idm_01.id]

  admin_ssh_key {
    username   = var.admin_username
    public_key = var.admin_ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb         = 52
  }

  source_image_reference {
    publisher = var.image.publisher
    offer     = var.image.offer
    sku       = var.image.sku
    version   = var.image.version
  }

  tags = {
    netbox_name           = "dc1-idm-01"
    netbox_object_type    = "virtualization.virtualmachine"
    netbox_object_id      = "12"
    netbox_role           = "identity"
    nautilus_work_package = "dc1-refresh"
    nautilus_wave         = "identity"
  }
}

# NetBox virtualization.virtualmachine 13 (2 vCPU, 4096 MB in NetBox)
resource "azurerm_network_interface" "dc1_idm_02" {
  name                = "dc1-idm-02-nic"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    netbox_object_type = "virtualization.virtualmachine"
    netbox_object_id   = "13"
  }

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.20.0.22"
  }
}

resource "azurerm_linux_virtual_machine" "dc1_idm_02" {
  name                  = "dc1-idm-02"
  computer_name         = "dc1-idm-02"
  location              = var.location
  resource_group_name   = var.resource_group_name
  size                  = lookup(var.vm_size_by_role, "identity", var.vm_size)
  admin_username        = var.admin_username
  network_interface_ids = [azurerm_network_interface.dc1_idm_02.id]

  admin_ssh_key {
    username   = var.admin_username
    public_key = var.admin_ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb         = 52
  }

  source_image_reference {
    publisher = var.image.publisher
    offer     = var.image.offer
    sku       = var.image.sku
    version   = var.image.version
  }

  tags = {
    netbox_name           = "dc1-idm-02"
    netbox_object_type    = "virtualization.virtualmachine"
    netbox_object_id      = "13"
    netbox_role           = "identity"
    nautilus_work_package = "dc1-refresh"
    nautilus_wave         = "identity"
  }
}
