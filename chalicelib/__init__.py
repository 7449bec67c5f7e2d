"""Everything deployed with the Lambda functions."""
