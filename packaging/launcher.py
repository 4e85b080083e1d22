"""Entry point of the frozen app (PyInstaller).

`multiprocessing.freeze_support()` must run before anything else: the refresh
parses feeds in a pool of *spawned* worker processes, and in a frozen app each
worker is this same executable started again with multiprocessing's arguments.
freeze_support() turns such a start into the worker and never returns; a
normal start falls through to the cmdesk command line.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from cmdesk.cli import main

    sys.exit(main())
