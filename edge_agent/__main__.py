"""``python -m edge_agent`` and the ``ssp-edge-agent`` command."""

from __future__ import annotations

import sys

from edge_agent.cli import main as _main


def main() -> None:
    sys.exit(_main())


if __name__ == "__main__":
    main()
