# Credentials come from the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or the CI job's
# OIDC role), never from this file.
provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      "nautilus:work_package" = "dc1-refresh"
      "nautilus:wave"         = "application"
    }
  }
}
