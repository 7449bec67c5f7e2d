"""Helpers every test area uses: an API client, factories, call counting, staff tokens."""
