"""Entry point for `python -m metrics`."""

from .cli import main

raise SystemExit(main())
