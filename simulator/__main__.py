"""`python -m simulator` runs the same command line as `badnews`."""

from simulator.cli import main

raise SystemExit(main())
