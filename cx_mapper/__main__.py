"""`python -m cx_mapper` runs the same command line as `cx-mapper`."""

from cx_mapper.cli import run

if __name__ == "__main__":
    run()
