"""`python -m cx_mapper` runs the same command line as `cx-mapper`."""

import sys

from cx_mapper.cli import main

if __name__ == "__main__":
    sys.exit(main())
