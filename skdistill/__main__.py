"""``python -m skdistill``: the ``skdistill`` command line."""

from skdistill.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
