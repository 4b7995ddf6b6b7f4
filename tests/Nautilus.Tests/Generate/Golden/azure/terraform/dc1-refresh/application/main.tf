# NetBox virtualization.virtualmachine 31 (2 vCPU, 4096 MB in NetBox)
resource "azurerm_network_interface" "dc1_web_01" {
  name                = "dc1-web-01-nic"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    netbox_object_type = "virtualization.virtualmachine"
    netbox_object_id   = "31"
  }

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.20.2.11"
  }
}

resource "azurerm_linux_virtual_machine" "dc1_web_01" {
  name                  = "dc1-web-01"
  computer_name         = "dc1-web-01"
  location              = var.location
  resource_group_name   = var.resource_group_name
  size                  = lookup(var.vm_size_by_role, "web-server", var.vm_size)
  admin_username        = var.admin_username
  network_interface_ids = [azurerm_network_interface.dc1_web_01.id]

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
    netbox_name           = "dc1-web-01"
    netbox_object_type    = "virtualization.virtualmachine"
    netbox_object_id      = "31"
    netbox_role           = "web-server"
    nautilus_work_package = "dc1-refresh"
    nautilus_wave         = "application"
  }
}

# NetBox virtualization.virtualmachine 32 (2 vCPU, 4096 MB in NetBox)
resource "azurerm_network_interface" "dc1_web_02" {
  name                = "dc1-web-02-nic"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    netbox_object_type = "virtualization.virtualmachine"
    netbox_object_id   = "32"
  }

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.20.2.12"
  }
}

resource "azurerm_linux_virtual_machine" "dc1_web_02" {
  name                  = "dc1-web-02"
  computer_name         = "dc1-web-02"
  location              = var.location
  resource_group_name   = var.resource_group_name
  size                  = lookup(var.vm_size_by_role, "web-server", var.vm_size)
  admin_username        = var.admin_username
  network_interface_ids = [azurerm_network_interface.dc1_web_02.id]

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
    netbox_name           = "dc1-web-02"
    netbox_object_type    = "virtualization.virtualmachine"
    netbox_object_id      = "32"
    netbox_role           = "web-server"
    nautilus_work_package = "dc1-refresh"
    nautilus_wave         = "application"
  }
}

# NetBox virtualization.virtualmachine 33 (2 vCPU, 4096 MB in NetBox)
resource "azurerm_network_interface" "dc1_web_03" {
  name                = "dc1-web-03-nic"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    netbox_object_type = "virtualization.virtualmachine"
    netbox_object_id   = "33"
  }

  ip_configuration {
    name                          = "primary"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "dc1_web_03" {
  name                  = "dc1-web-03"
  computer_name         = "dc1-web-03"
  location              = var.location
  resource_group_name   = var.resource_group_name
  size                  = lookup(var.vm_size_by_role, "web-server", var.vm_size)
  admin_username        = var.admin_username
  network_interface_ids = [azurerm_network_interface.dc1_web_03.id]

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
    netbox_name           = "dc1-web-03"
    netbox_object_type    = "virtualization.virtualmachine"
    netbox_object_id      = "33"
    netbox_role           = "web-server"
    nautilus_work_package = "dc1-refresh"
    nautilus_wave         = "application"
  }
}
