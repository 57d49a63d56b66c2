"""`neurojit-run`: placeholder until the native-spine issue lands."""

import sys


def main() -> int:
    print("neurojit-run: not built yet", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
