"""
``python -m sheets_emulator``: serve the emulator in the foreground until Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheets_emulator.http.server import CannotListen, serve_forever
from sheets_emulator.model.errors import UnusableFile


def port_number(text: str) -> int:
    """A TCP port (0 picks a free one), for argparse: anything else is a usage error."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535; 0 picks a free one)")
    return port


def time_zone(text: str) -> str:
    """An IANA time zone (``Asia/Bangkok``, ``Etc/GMT``), as a spreadsheet's ``timeZone``."""
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time zone (an IANA name such as Asia/Bangkok or Etc/GMT)"
        ) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    """The command line: where to listen, what to load, which zones new spreadsheets get."""
    parser = argparse.ArgumentParser(
        prog="python -m sheets_emulator", description="Serve the Google Sheets API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    parser.add_argument("--port", type=port_number, default=8765, help="port (default 8765)")
    parser.add_argument("--state", type=Path, help="JSON file to load and persist state")
    parser.add_argument(
        "--import-xlsx", type=Path, action="append", default=[], help="load an .xlsx at start"
    )
    parser.add_argument(
        "--auth-keys",
        type=Path,
        help="folder of service-account keys (<e-mail>.pem or JSON); switches OAuth2 checks on",
    )
    parser.add_argument(
        "--time-zone",
        type=time_zone,
        help="zone of spreadsheets seeded through the controls (default Etc/GMT)",
    )
    parser.add_argument(
        "--api-time-zone",
        type=time_zone,
        help="zone of spreadsheets created through the API (default Etc/GMT)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """
    Serve until SIGINT or SIGTERM. An address it cannot listen on, or a file it cannot use,
    is one line on stderr and exit 1 (a mistaken option: argparse's usage error, exit 2).
    """
    args = build_parser().parse_args(argv)
    try:
        serve_forever(
            host=args.host,
            port=args.port,
            state_file=args.state,
            auth_keys=args.auth_keys,
            import_xlsx=args.import_xlsx,
            seed_time_zone=args.time_zone,
            api_time_zone=args.api_time_zone,
        )
    except (CannotListen, UnusableFile) as exc:
        print(f"sheets_emulator: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
