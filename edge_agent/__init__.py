"""The field officer's edge agent: finds the MOSIP SBI devices on this PC, asks the portal for a
capture transaction, captures, signs the device's answer with its own key and relays it, keeping
every envelope in a local queue until the portal acknowledges it.

A separate program from the portal (it never imports ``chalicelib``): standard library,
``requests`` and ``joserfc``/``cryptography``. Run ``python -m edge_agent --help``.
"""

__version__ = "1.0.0"
