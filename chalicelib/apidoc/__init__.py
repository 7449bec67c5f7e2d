"""The API's own description: the OpenAPI document, built from the declared routes."""
