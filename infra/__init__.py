"""Deployment (CloudFormation merged by chalice package, IAM policies) and the local stack."""
