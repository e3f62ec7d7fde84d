"""The bundle's entry point: the same command line as the installed `cx-mapper`.

PyInstaller needs a script rather than an entry point; this one only hands over
to `cx_mapper.cli.run`, so the bundle and `pip install` behave alike.
"""

from cx_mapper.cli import run

if __name__ == "__main__":
    run()
