"""The `torelik` command: Django's management commands under the project's own name.

`torelik demo-keys`, `torelik signer`, `torelik load-demo` and the rest are management
commands of the apps; `torelik-name` with dashes maps to `torelik_name` with underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torelik.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(["torelik", *args[1:]])


if __name__ == "__main__":
    main()
