"""`python -m statistik.cli`."""

import sys

from statistik.cli import main

sys.exit(main())
