"""Registrant login (OIDC, backend-for-frontend), sessions, CSRF, staff tokens and roles."""
