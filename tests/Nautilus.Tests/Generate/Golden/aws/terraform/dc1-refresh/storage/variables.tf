variable "aws_region" {
  type        = string
  description = "AWS region the instances run in."
}

variable "subnet_id" {
  type        = string
  description = "Subnet for the instances; a NetBox primary IPv4 address must lie in it."
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups attached to every instance."
  default     = []
}

variable "ami_id" {
  type        = string
  description = "AMI the instances boot from."
}

variable "key_name" {
  type        = string
  description = "EC2 key pair for SSH (Ansible)."
  default     = null
}

variable "instance_type" {
  type        = string
  description = "Instance type for VMs whose NetBox role has no entry in instance_type_by_role."
  default     = "t3.medium"
}

variable "instance_type_by_role" {
  type        = map(string)
  description = "Instance type per NetBox role slug, e.g. { database-server = \"r6i.xlarge\" }."
  default     = {}
}

variable "default_disk_gb" {
  type        = number
  description = "Root volume size (GB) for VMs whose disk is empty in NetBox."
  default     = 20
}
