"""``python -m banmian`` runs the CLI."""

from banmian.cli import main

raise SystemExit(main())
