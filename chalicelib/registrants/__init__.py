"""The registrant's own data: profile with provenance, history, consent, export and access log."""
