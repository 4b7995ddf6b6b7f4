# Credentials come from the environment (ARM_CLIENT_ID, ARM_CLIENT_SECRET or ARM_USE_OIDC, ARM_TENANT_ID),
# never from this file.
provider "azurerm" {
  features {}
  subscription_id = var.azure_subscription_id
}
