"""`python -m skill`: the same command line as `legtwitch`."""

from skill.cli import main

raise SystemExit(main())
