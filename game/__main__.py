"""``python -m game`` runs the ``crisis`` command."""

from game.cli import main

raise SystemExit(main())
