"""
The `sheetsync` command: a thin skin over the library (each command calls one function).

Errors of the `SyncError` tree end the command with `Type: message` on one line and a
non-zero exit; invalid rows are findings, not failures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sync.errors import SyncError

DEMO_FORMS = ("spec", "appendix", "appendix-results")
"""`sync.demodata.FORMS`, spelled out so `--help` does not import the generator (a test
keeps the two equal)."""

EXIT_FAILED = 1
EXIT_USAGE = 2


def _config(args: argparse.Namespace) -> object:
    from sync.config import load_config

    config = load_config(args.config)
    service = config.service
    if getattr(args, "endpoint", None):
        service.endpoint = args.endpoint.rstrip("/")
    if getattr(args, "credentials", None):
        service.credentials = args.credentials
    return config


def cmd_run(args: argparse.Namespace) -> int:
    """One on-demand run of one spreadsheet (or every configured one)."""
    from sync.config import Config
    from sync.errors import ConfigError
    from sync.logconfig import configure_logging
    from sync.mask import mask_changes
    from sync.runner import RunRequest
    from sync.service import progress_for, run_locked

    config = _config(args)
    assert isinstance(config, Config)
    configure_logging(level=config.service.log_level)
    ids = [args.spreadsheet] if args.spreadsheet else [s.id for s in config.spreadsheets]
    if not ids:
        raise ConfigError(
            "No spreadsheet: pass --spreadsheet ID or list [[spreadsheets]] in --config."
        )
    status = 0
    for sid in ids:
        request = RunRequest(
            spreadsheet_id=sid,
            fiscal_year=args.fiscal_year,
            profile=args.profile,
            dry_run=args.dry_run,
        )
        # A manual run takes the same lock as the service: never two writers on one sheet.
        progress = None if args.json else progress_for(sys.stdout)
        report = run_locked(config, request, progress=progress)
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            print(
                f"{sid}: {report.outcome}; {report.reads} read + {report.writes} write requests; "
                f"{report.cells_written} cells written"
                + (f"; {len(report.planned)} cells planned (dry run)" if args.dry_run else "")
            )
            if args.dry_run:
                for line in mask_changes(report.planned):
                    print("  " + line)
            for problem in report.layout_problems:
                print(f"  problem: {problem}")
            if report.unconverged_cells:
                print(
                    f"  note: {report.unconverged_cells} cells written in the last round were not "
                    "read back (people kept editing); the next run checks them"
                )
        if report.outcome != "ok":
            status = EXIT_FAILED
            if not args.json:
                kind = "SheetLayoutError" if report.layout_problems else "RunFailed"
                print(f"{kind}: {report.error}", file=sys.stderr)
    return status


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the whole product on the embedded emulator with generated data."""
    from sync.demo import print_demo, run_demo
    from sync.logconfig import configure_logging

    configure_logging(level="WARNING")
    result = run_demo(out_dir=args.out, rows_per_region=args.rows, seed=args.seed, form=args.form)
    print_demo(result, sys.stdout)
    return 0 if result.first.outcome == "ok" else EXIT_FAILED


def cmd_emulator(args: argparse.Namespace) -> int:
    """Serve the Sheets API emulator in the foreground (rehearsals, manual testing)."""
    from sync.emulator.server import serve_forever

    serve_forever(
        host=args.host, port=args.port, state_file=args.state, import_xlsx=args.import_xlsx
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Run every configured spreadsheet on its schedule and on its checkbox until stopped."""
    from sync.config import load_config
    from sync.logconfig import configure_logging
    from sync.service import SyncService

    config = load_config(args.config)
    configure_logging(level=config.service.log_level)
    return SyncService(config).serve()


def cmd_status(args: argparse.Namespace) -> int:
    """Show the last run of every spreadsheet from the run history."""
    from sync.config import load_config
    from sync.history import RunHistory
    from sync.service import format_status, status_entries

    config = load_config(args.config)
    path = config.service.history
    # Looking must not create an empty history where the service never ran.
    entries = status_entries(RunHistory(path) if path.exists() else None, config)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False))
    else:
        print(format_status(entries))
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    """Validate a configuration file: OK and a summary, or each problem on its own line."""
    from sync.errors import ConfigError
    from sync.service import check_config

    try:
        lines = check_config(args.config)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    print("OK")
    for line in lines:
        print(line)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line, shared by `main` and the documentation test."""
    parser = argparse.ArgumentParser(
        prog="sheetsync",
        description="Validate, compute and summarise the regional reporting spreadsheets.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run one sync now", description=cmd_run.__doc__)
    run.add_argument("--config", type=Path, help="TOML configuration file")
    run.add_argument("--spreadsheet", help="spreadsheet id (default: every configured one)")
    run.add_argument("--endpoint", help="API endpoint; e.g. http://127.0.0.1:8765 for the emulator")
    run.add_argument("--credentials", type=Path, help="service-account key file (JSON)")
    run.add_argument("--fiscal-year", type=int, help="Thai fiscal year, e.g. 2567")
    run.add_argument("--profile", help="target profile: manual-2567 or tor-2569")
    run.add_argument("--dry-run", action="store_true", help="print planned changes, write nothing")
    run.add_argument("--json", action="store_true", help="print one JSON object per spreadsheet")
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser("serve", help="run the scheduled service", description=cmd_serve.__doc__)
    serve.add_argument("--config", type=Path, help="TOML configuration file")
    serve.set_defaults(func=cmd_serve)

    status = sub.add_parser(
        "status", help="last run of every spreadsheet", description=cmd_status.__doc__
    )
    status.add_argument("--config", type=Path, help="TOML configuration file")
    status.add_argument("--json", action="store_true", help="print one JSON list")
    status.set_defaults(func=cmd_status)

    check = sub.add_parser(
        "check-config", help="validate a configuration file", description=cmd_check_config.__doc__
    )
    check.add_argument("--config", type=Path, required=True, help="TOML configuration file")
    check.set_defaults(func=cmd_check_config)

    demo = sub.add_parser(
        "demo", help="run the demo on the embedded emulator", description=cmd_demo.__doc__
    )
    demo.add_argument("--out", type=Path, default=Path("out"), help="folder for demo.xlsx")
    demo.add_argument("--rows", type=int, default=None, help="rows per regional tab (default 40)")
    demo.add_argument("--seed", type=int, default=2567, help="seed of the generated data")
    demo.add_argument(
        "--form",
        choices=DEMO_FORMS,
        default="spec",
        help="layout of the regional tabs: the spec's columns with raw figures (spec), the "
        "appendix's Part 1 form (appendix) or its Part 2 results form (appendix-results)",
    )
    demo.set_defaults(func=cmd_demo)

    emu = sub.add_parser(
        "emulator", help="serve the Sheets API emulator", description=cmd_emulator.__doc__
    )
    emu.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    emu.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    emu.add_argument("--state", type=Path, help="JSON file to load and persist state")
    emu.add_argument(
        "--import-xlsx", type=Path, action="append", default=[], help="load an .xlsx at start"
    )
    emu.set_defaults(func=cmd_emulator)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `sheetsync` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except SyncError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("Interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
