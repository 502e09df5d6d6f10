"""``python -m cer_core``: see :mod:`cer_core.cli`."""

import sys

from cer_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
