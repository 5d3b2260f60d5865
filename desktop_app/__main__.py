"""`python -m desktop_app` == `svf-report`."""

import sys

from desktop_app.cli import main as _main


def main() -> None:
    sys.exit(_main())


if __name__ == "__main__":
    main()
