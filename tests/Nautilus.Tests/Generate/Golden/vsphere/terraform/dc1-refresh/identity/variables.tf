# Credentials only ever come in as variables: TF_VAR_vsphere_user and TF_VAR_vsphere_password
# (nautilus/vsphere_creds in Vault for iac deploy).
variable "vsphere_server" {
  type        = string
  description = "vCenter host name."
}

variable "vsphere_user" {
  type        = string
  description = "vCenter user."
  sensitive   = true
}

variable "vsphere_password" {
  type        = string
  description = "vCenter password."
  sensitive   = true
}

variable "vsphere_allow_unverified_ssl" {
  type        = bool
  description = "Accept a self-signed vCenter certificate."
  default     = false
}

variable "vsphere_datacenter" {
  type        = string
  description = "Datacenter the VMs are placed in."
}

variable "vsphere_datastore" {
  type        = string
  description = "Datastore for the VMs' disks."
}

variable "vsphere_network" {
  type        = string
  description = "Port group the VMs' first NIC joins."
}

variable "vsphere_template" {
  type        = string
  description = "VM template the VMs are cloned from."
}

variable "vsphere_default_cluster" {
  type        = string
  description = "Compute cluster for VMs that have no cluster in NetBox."
  default     = null
}

variable "default_num_cpus" {
  type        = number
  description = "vCPUs for VMs whose vcpus is empty in NetBox."
  default     = 2
}

variable "default_memory_mb" {
  type        = number
  description = "Memory (MB) for VMs whose memory is empty in NetBox."
  default     = 4096
}

variable "domain" {
  type        = string
  description = "DNS domain of the guests."
  default     = "localdomain"
}

variable "ipv4_gateway" {
  type        = string
  description = "Default gateway for VMs with a static primary IPv4 address."
  default     = null
}

variable "dns_servers" {
  type        = list(string)
  description = "DNS servers for the guests."
  default     = []
}
