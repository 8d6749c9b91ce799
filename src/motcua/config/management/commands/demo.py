"""``motcua demo``: load the demo province (idempotent) and print the demo accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.config.demo.loader import DEMO_PASSWORD, DemoAccount, load_demo


def format_accounts(accounts: list[DemoAccount]) -> str:
    """The demo accounts as an aligned plain-text table."""
    width = max(len(a.username) for a in accounts)
    lines = [f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):"]
    for account in accounts:
        lines.append(f"  {account.username:<{width}}  {account.role} – {account.agency}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the demo province (An Giang, real units; demo agencies, staff and citizens)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow loading demo data in production mode (never do this on a real site).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "Refusing to load demo data in production (use --force on a test site)."
            )
        verbose = options["verbosity"] > 1
        summary = load_demo(progress=self.stdout.write if verbose else None)
        self.stdout.write(
            f"Dữ liệu minh họa tỉnh An Giang: {summary.units} đơn vị hành chính, "
            f"{summary.agencies} cơ quan, {summary.procedures} thủ tục hành chính, "
            f"{summary.dossiers} hồ sơ mới."
        )
        self.stdout.write(format_accounts(summary.accounts))
