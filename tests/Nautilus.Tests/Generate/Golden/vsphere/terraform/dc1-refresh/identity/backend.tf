# GitLab-managed Terraform state "dc1-refresh-identity": the address comes from the TF_HTTP_* variables
# (or -backend-config) in CI and is never written here.
terraform {
  backend "http" {}
}
