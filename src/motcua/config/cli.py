"""The ``motcua`` command: Django management with MotCua's settings preset.

``motcua serve | migrate | demo | worker | config-doc | …`` (any Django command works too).
A configuration error is printed as one line and exits with status 2, never as a traceback.
"""

from __future__ import annotations

import os
import sys

from motcua.config.env import ConfigError


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``motcua`` console script."""
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    try:
        import django

        django.setup()
    except ConfigError as exc:
        print(f"motcua: configuration error: {exc}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(["motcua", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
