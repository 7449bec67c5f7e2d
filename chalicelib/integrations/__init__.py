"""Integrations: the ministry's systems hear of events through signed webhooks (docs/integrations.md)."""
