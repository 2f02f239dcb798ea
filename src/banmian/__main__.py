"""``python -m banmian`` runs the CLI."""

from banmian.cli.main import main

raise SystemExit(main())
