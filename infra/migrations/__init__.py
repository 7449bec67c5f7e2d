"""One-off data migrations, run once per stage by an operator (``python -m infra.migrations.<name>``):
each is idempotent, so running it twice changes nothing more."""
