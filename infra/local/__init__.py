"""The embedded local stack: AWS emulation, dev identity provider, SBI simulator, portal."""
