"""
``python -m sheets_emulator``: serve the emulator in the foreground until Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sheets_emulator.http.server import serve_forever


def build_parser() -> argparse.ArgumentParser:
    """The command line: where to listen, what to load, which zones new spreadsheets get."""
    parser = argparse.ArgumentParser(
        prog="python -m sheets_emulator", description="Serve the Google Sheets API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
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
        "--time-zone", help="zone of spreadsheets seeded through the controls (default Etc/GMT)"
    )
    parser.add_argument(
        "--api-time-zone", help="zone of spreadsheets created through the API (default Etc/GMT)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGINT or SIGTERM; a port in use is one line on stderr."""
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
    except OSError as exc:
        print(
            f"sheets_emulator: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
