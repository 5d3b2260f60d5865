"""`python -m desktop_app` == `svf-report`."""

import sys

from desktop_app.cli import main as _main


def main() -> None:
    # A bundled executable started as the inbox's verification child (services.isolated)
    # runs the child's work and exits here instead of starting the program again.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(_main())


if __name__ == "__main__":
    main()
