"""`python -m advisor.cli ...` runs the `vciso` command (handy where the entry point is not on PATH)."""

import sys

from advisor.cli import main

sys.exit(main())
