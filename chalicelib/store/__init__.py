"""The data layer: one pynamodb model module per DynamoDB table (DESIGN.md section 3)."""
