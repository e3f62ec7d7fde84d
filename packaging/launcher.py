"""The bundle's entry point: the same command line as the installed `cx-mapper`.

PyInstaller needs a script rather than an entry point; this one only hands over
to `cx_mapper.cli.main`, so the bundle and `pip install` behave alike.
"""

import sys

from cx_mapper.cli import main

if __name__ == "__main__":
    sys.exit(main())
