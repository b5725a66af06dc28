"""``python -m consensus_kit.cli``."""

import sys

from consensus_kit.cli import main

sys.exit(main())
