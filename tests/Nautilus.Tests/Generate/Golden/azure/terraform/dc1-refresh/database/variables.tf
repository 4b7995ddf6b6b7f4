variable "azure_subscription_id" {
  type        = string
  description = "Subscription the VMs are created in."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group for the VMs and their NICs."
}

variable "location" {
  type        = string
  description = "Azure region, e.g. westeurope."
}

variable "subnet_id" {
  type        = string
  description = "Subnet for the NICs; a NetBox primary IPv4 address must lie in it."
}

variable "vm_size" {
  type        = string
  description = "VM size for VMs whose NetBox role has no entry in vm_size_by_role."
  default     = "Standard_D2s_v5"
}

variable "vm_size_by_role" {
  type        = map(string)
  description = "VM size per NetBox role slug, e.g. { database-server = \"Standard_E8s_v5\" }."
  default     = {}
}

variable "admin_username" {
  type        = string
  description = "Administrator user for SSH (Ansible)."
  default     = "azureuser"
}

variable "admin_ssh_public_key" {
  type        = string
  description = "SSH public key of the administrator."
}

variable "image" {
  type        = object({ publisher = string, offer = string, sku = string, version = string })
  description = "Marketplace image the VMs boot from."
  default = {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

variable "default_disk_gb" {
  type        = number
  description = "OS disk size (GB) for VMs whose disk is empty in NetBox."
  default     = 30
}
