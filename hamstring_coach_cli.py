"""`hamstring-coach`: one console script for the whole product. Each subcommand imports only its
own part, so `hamstring-coach sources` never loads Flask and `chat` never loads reportlab."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hamstring-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("sources", help="which seed passage or reference backs each rule and exercise")
    chat = commands.add_parser("chat", help="hold the Alexa conversation by typing")
    chat.add_argument("--locale", default="en-US", help="voice model: en-US, en-GB, en-AU, en-CA or en-IN")
    chat.add_argument("--timezone", default=None, help="the device's IANA time zone")
    purge = commands.add_parser("purge", help="delete plans older than the retention period")
    purge.add_argument("--days", type=int, default=None,
                       help="retention in days (default COACH_RETENTION_DAYS or 180)")
    args = parser.parse_args(argv)

    if args.command == "sources":
        from rehab.sources import sources_report

        sys.stdout.write(sources_report())
        return 0
    if args.command == "chat":
        from skill.console import run_console

        return run_console(locale=args.locale, timezone=args.timezone)
    if args.command == "purge":
        from exporter.cli import purge_command

        return purge_command(days=args.days)
    return 2  # pragma: no cover - argparse already refused unknown commands


if __name__ == "__main__":
    raise SystemExit(main())
