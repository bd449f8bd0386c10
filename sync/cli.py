"""
The `sheetsync` command: a thin skin over the library (each command calls one function).

Every failure ends the command with `Type: reason` on one line (no traceback) and one of
the exit codes below, which the README documents; invalid rows are findings, not failures.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import sqlite3
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from sync.core.errors import ConfigError, PortInUse, SyncError, UsageError

if TYPE_CHECKING:
    from sync.core.diff import Request

DEMO_FORMS = ("spec", "appendix", "appendix-results")
"""`sync.demo.data.FORMS`, spelled out so `--help` does not import the generator (a test
keeps the two equal)."""
DEMO_MAX_ROWS = 10_000
"""Rows a regional tab of the demo at most: seven tabs of the widest form (108 columns with the
worker's) then hold ~7.6 million cells, within the 10 million Google allows a spreadsheet."""

EXIT_OK = 0
EXIT_FAILED = 1
"""A run (of any spreadsheet) failed, or the command could not do its work."""
EXIT_USAGE = 2
"""The command line or the configuration is wrong: nothing was tried."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT), after the interrupted run was recorded."""
EXIT_BROKEN_PIPE = 141
"""The reader of the output went away (`sheetsync status | head`), as for SIGPIPE."""


class Parser(argparse.ArgumentParser):
    """argparse with its complaints as one `UsageError: …` line instead of usage text."""

    def error(self, message: str) -> NoReturn:
        """Print one line naming the mistake and where to read more, exit 2."""
        print(f"UsageError: {message} (see: {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _version() -> str:
    try:
        return version("sheetsync")
    except PackageNotFoundError:  # pragma: no cover - only in an uninstalled checkout
        return "unknown"


def _config(args: argparse.Namespace) -> Any:
    """The configuration with the command's flags applied; a bad flag is a ConfigError."""
    from sync.core.settings import check_endpoint, load_config

    config = load_config(args.config)
    service = config.service
    if getattr(args, "endpoint", None):
        try:
            service.endpoint = check_endpoint(args.endpoint)
        except ValueError as exc:
            raise ConfigError(f"--endpoint: {exc}") from None
        config.set_source("endpoint", "--endpoint")
    if getattr(args, "credentials", None):
        service.credentials = args.credentials
    return config


def _spreadsheet_arg(text: str) -> str:
    """The id in `--spreadsheet`, which may be a pasted sheet URL."""
    from sync.core.settings import spreadsheet_id_from

    try:
        return spreadsheet_id_from(text)
    except ValueError as exc:
        raise ConfigError(f"--spreadsheet: {exc}") from None


class StopSwitch:
    """
    Ctrl-C during a run: the first asks to stop at the next safe point, the second at once.

    A safe point is before a round's first write or after its last one, so the summary and
    the rows it counts are never left from two different moments.
    """

    def __init__(self) -> None:
        self.requested = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """SIGINT handler."""
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print(
            "Stopping after the write in flight (press Ctrl-C again to stop at once)…",
            file=sys.stderr,
            flush=True,
        )

    @contextmanager
    def installed(self) -> Iterator[StopSwitch]:
        """Handle SIGINT for the block (only the main thread can)."""
        try:
            previous = signal.signal(signal.SIGINT, self.handle)
        except ValueError:  # not the main thread: plain KeyboardInterrupt semantics
            yield self
            return
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)


class StoppableBackend:
    """A SheetsBackend that raises RunInterrupted at the first safe point after a stop request."""

    def __init__(self, backend: Any, switch: StopSwitch) -> None:
        self.backend = backend
        self.switch = switch
        self._writing = False

    def _check(self, kind: str) -> None:
        from sync.run.runner import RunInterrupted

        if self.switch.requested:
            raise RunInterrupted(
                f"stopped by the operator (Ctrl-C) before the next {kind}", unsent=kind
            )

    def read_ranges(self, spreadsheet_id: str, ranges: Sequence[str]) -> Any:
        """Stop here if asked (a read is never in the middle of a round's writes)."""
        self._check("read")
        self._writing = False
        return self.backend.read_ranges(spreadsheet_id, ranges)

    def read_values(self, spreadsheet_id: str, ranges: Sequence[str]) -> Any:
        """The same read with its answer's bytes kept."""
        from sync.backends.base import read_values

        self._check("read")
        self._writing = False
        return read_values(self.backend, spreadsheet_id, ranges)

    def read_formatted(self, spreadsheet_id: str, ranges: Sequence[str]) -> Any:
        """The cells as people see them (when the backend can read them)."""
        from sync.backends.base import read_formatted

        self._check("read")
        self._writing = False
        return read_formatted(self.backend, spreadsheet_id, ranges)

    def read_info(self, spreadsheet_id: str) -> Any:
        """Stop here if asked."""
        self._check("read")
        self._writing = False
        return self.backend.read_info(spreadsheet_id)

    def batch_update(self, spreadsheet_id: str, requests: Sequence[Request]) -> Any:
        """Stop before a round's first write; once a round writes, its writes all go."""
        if not self._writing:
            self._check("write")
        self._writing = True
        return self.backend.batch_update(spreadsheet_id, requests)

    def write_values(
        self, spreadsheet_id: str, data: Sequence[Mapping[str, Any]], *, input_option: str
    ) -> Any:
        """Like batch_update."""
        if not self._writing:
            self._check("write")
        self._writing = True
        return self.backend.write_values(spreadsheet_id, data, input_option=input_option)


def cmd_run(args: argparse.Namespace) -> int:
    """
    One on-demand run of one spreadsheet, or of every configured one (each is tried).
    """
    from sync.run.logconfig import configure_logging
    from sync.run.runner import RunRequest

    config = _config(args)
    if args.fiscal_year is not None:
        from sync.core.settings import check_fiscal_year

        try:
            check_fiscal_year(args.fiscal_year)
        except ValueError as exc:
            raise ConfigError(f"--fiscal-year: {exc}") from None
    if args.profile is not None:
        try:
            config.profile(args.profile)  # before any spreadsheet is tried, as a usage error
        except ConfigError as exc:
            raise ConfigError(f"--profile: {exc}") from None
    level = config.service.log_level
    if not args.json and sys.stdout.isatty() and level.upper() == "INFO":
        # Someone is watching the progress lines, which say what the INFO lines would;
        # warnings and errors still show, below them.
        level = "WARNING"
    # A failed run is said once, as this command's own `Type: reason` line (and recorded).
    configure_logging(level=level, quiet={"run_failed"})
    if args.spreadsheet:
        ids = [_spreadsheet_arg(args.spreadsheet)]
    else:
        ids = [s.id for s in config.spreadsheets]
    if not ids:
        raise ConfigError(
            "No spreadsheet: pass --spreadsheet ID or list [[spreadsheets]] in --config."
        )
    status = EXIT_OK
    switch = StopSwitch()
    interrupted: list[str] = []
    started = 0
    with switch.installed():
        for sid in ids:
            if switch.requested:
                break
            started += 1
            request = RunRequest(
                spreadsheet_id=sid,
                fiscal_year=args.fiscal_year,
                profile=args.profile,
                dry_run=args.dry_run,
                id_source="--spreadsheet" if args.spreadsheet else None,
            )
            code = _run_one(config, request, args, switch, interrupted)
            # 2 when the configuration alone stopped every failed run (nothing was tried).
            if code == EXIT_FAILED or (code == EXIT_USAGE and status == EXIT_OK):
                status = code
    if not switch.requested:
        return status
    not_run = ids[started:]
    print(
        "Interrupted: stopped by Ctrl-C"
        + (f" during {interrupted[0]}, before its next request (recorded)" if interrupted else "")
        + (f"; not run: {', '.join(not_run)}" if not_run else ""),
        file=sys.stderr,
    )
    return EXIT_INTERRUPTED


def _run_one(
    config: Any,
    request: Any,
    args: argparse.Namespace,
    switch: StopSwitch,
    interrupted: list[str],
) -> int:
    """
    Run and print one spreadsheet; its exit code: 0, 1 when it failed, 2 when the
    configuration stopped it before any request (the failure is printed, not raised).

    A run stopped by Ctrl-C adds its id to `interrupted`; the caller says so in one line.
    """
    from sync.backends.gspread_backend import GspreadBackend
    from sync.run.dryrun import format_dry_run
    from sync.run.report import RunReport
    from sync.run.runner import RunInterrupted, open_backend
    from sync.service import progress_for, run_locked

    plans: list[Any] = []
    progress = None if args.json else progress_for(sys.stdout)

    @contextmanager
    def stoppable(cfg: Any) -> Iterator[Any]:
        with open_backend(cfg) as backend:
            if progress is not None and isinstance(backend, GspreadBackend):
                backend.retry_listeners.append(progress.on_retry)
            yield StoppableBackend(backend, switch)

    sid = request.spreadsheet_id
    try:
        # A manual run takes the same lock as the service: never two writers on one sheet.
        report = run_locked(
            config,
            request,
            progress=progress,
            backend_factory=stoppable,
            on_plan=plans.append if args.dry_run else None,
        )
    except RunInterrupted:
        interrupted.append(sid)
        switch.requested = True
        return EXIT_FAILED
    except Exception as exc:  # one broken spreadsheet must not stop the others
        failed = RunReport.of_failure(sid, exc)
        if args.json:
            print(json.dumps(failed.to_json(), ensure_ascii=False), flush=True)
        print(_one_line(exc), file=sys.stderr, flush=True)
        return EXIT_USAGE if isinstance(exc, ConfigError | UsageError) else EXIT_FAILED
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False), flush=True)
    else:
        print(
            f"{sid}: {report.outcome}; {report.reads} read + {report.writes} write requests; "
            f"{report.cells_written} cells written"
            + (f"; {len(report.planned)} cells planned (dry run)" if args.dry_run else "")
        )
        if args.dry_run:
            for line in format_dry_run(report, plans[-1] if plans else None, verbose=args.verbose):
                print("  " + line)
        for problem in report.layout_problems:
            print(f"  problem: {problem}")
        if report.unconverged_cells:
            print(
                f"  note: {report.unconverged_cells} cells written in the last round were not "
                "read back (people kept editing); the next run checks them"
            )
    if report.outcome != "ok":  # (on stderr with --json too, as a failure that raised is)
        kind = "SheetLayoutError" if report.layout_problems else "RunFailed"
        print(f"{kind}: {report.error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _one_line(exc: BaseException) -> str:
    """`Type: reason` on one line, however the reason was worded."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the whole product on the embedded emulator with generated data."""
    from sync.demo.run import print_demo, run_demo
    from sync.run.logconfig import configure_logging

    if args.rows is not None and not 0 <= args.rows <= DEMO_MAX_ROWS:
        raise ConfigError(
            f"--rows: {args.rows} rows a tab? Pass 0 to {DEMO_MAX_ROWS:,} (its seven tabs "
            "then fit within a spreadsheet's 10 million cells)."
        )
    if args.out.exists() and not args.out.is_dir():
        raise ConfigError(f"--out: {args.out} is a file; pass a folder for demo.xlsx.")
    configure_logging(level="WARNING")
    result = run_demo(out_dir=args.out, rows_per_region=args.rows, seed=args.seed, form=args.form)
    print_demo(result, sys.stdout)
    return 0 if result.first.outcome == "ok" else EXIT_FAILED


def cmd_emulator(args: argparse.Namespace) -> int:
    """Serve the Sheets API emulator in the foreground (rehearsals, manual testing)."""
    from sheets_emulator.http.server import CannotListen, serve_forever
    from sheets_emulator.model.errors import UnusableFile
    from sync.demo.seed import REHEARSAL_TIME_ZONE

    try:
        serve_forever(
            host=args.host,
            port=args.port,
            state_file=args.state,
            import_xlsx=args.import_xlsx,
            seed_time_zone=REHEARSAL_TIME_ZONE,
        )
    except CannotListen as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"{args.host}:{args.port} is already in use by another program — stop it or "
                "pass --port with a free port"
            ) from None
        if exc.errno is None:  # (not a port number at all)
            raise ConfigError(f"--port: {args.port} is {exc.strerror}") from None
        raise ConfigError(
            f"--host: {exc} — pass an address of this machine (default 127.0.0.1)"
        ) from None
    except UnusableFile as exc:  # (the state file or a workbook: left as they are)
        raise ConfigError(str(exc)) from None
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Run every configured spreadsheet on its schedule and on its checkbox until stopped."""
    from sync.core.settings import load_config
    from sync.run.logconfig import configure_logging
    from sync.service import SyncService

    config = load_config(args.config)
    configure_logging(level=config.service.log_level)
    service = SyncService(config)
    status = service.serve()
    if service.renewing.is_set():
        from sync.service.renew import start_afresh

        try:
            start_afresh()  # the same command, anew: its memory back to a fresh process's
        except OSError as exc:
            raise OSError(f"the service stopped to start afresh but could not: {exc}") from exc
    return status


def cmd_status(args: argparse.Namespace) -> int:
    """Show the last run of every spreadsheet from the run history."""
    from sync.core.settings import load_config
    from sync.run.history import RunHistory
    from sync.service import format_status, status_entries

    config = load_config(args.config)
    path = config.service.history
    # Looking must not create an empty history where the service never ran.
    history = RunHistory(path) if path.exists() else None
    if args.prune:
        configured = {sheet.id for sheet in config.spreadsheets}
        if not configured:
            # Every spreadsheet would be "not in the configuration" (a forgotten --config):
            # the whole history and its kept rows would go.
            raise UsageError(
                "status --prune: the configuration lists no spreadsheet, so every history "
                "would be forgotten; nothing was. Pass --config with the spreadsheets to keep."
            )
        for entry in status_entries(history, None):
            sid = entry["spreadsheet_id"]
            if sid in configured or history is None:
                continue
            runs = history.forget(sid)
            # Its lock file stays (a few bytes): a lock is the open file's, not its name's, so
            # removing one a run still holds would let the next run lock a new file beside it
            # and two runs write one spreadsheet at once.
            print(f"forgot {sid} ({runs} runs; not in the configuration)")
    entries = status_entries(history, config)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False))
    else:
        print(format_status(entries))
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    """List recorded runs, newest first: outcome, requests, cells, duration, rounds, error."""
    from sync.core.settings import load_config
    from sync.run.history import RunHistory
    from sync.service.status import format_history, history_entry

    if args.limit < 1:
        raise ConfigError(f"--limit: {args.limit} runs? Pass 1 or more (default 50).")
    config = load_config(args.config)
    since = _since(args.since) if args.since else None
    sid = _spreadsheet_arg(args.spreadsheet) if args.spreadsheet else None
    path = config.service.history
    rows = (
        # (a limit past SQLite's largest integer asks for every run all the same)
        RunHistory(path).runs(spreadsheet_id=sid, since=since, limit=min(args.limit, 2**63 - 1))
        if path.exists()
        else []
    )
    labels = {sheet.id: sheet.label for sheet in config.spreadsheets}
    entries = [history_entry(row) for row in rows]
    for entry in entries:
        entry["label"] = entry["label"] or labels.get(entry["spreadsheet_id"], "")
    if args.json:
        print(json.dumps(entries, ensure_ascii=False))
    elif not entries:
        print("no runs recorded" + (f" since {since}" if since else ""))
    else:
        print(format_history(entries))
    return EXIT_OK


def _since(text: str) -> str:
    """`--since`: an ISO date or time (Asia/Bangkok unless it says), or `90m`, `6h`, `7d` ago."""
    import re
    from datetime import datetime, timedelta

    from sync.core.settings import BANGKOK
    from sync.run.loop import bangkok_now

    ago = re.fullmatch(r"(\d+)\s*([mhd])", text.strip())
    if ago:
        unit = {"m": "minutes", "h": "hours", "d": "days"}[ago[2]]
        try:
            moment = bangkok_now() - timedelta(**{unit: int(ago[1])})
        except OverflowError:
            raise ConfigError(
                f"--since: {text!r} reaches back past any date — leave --since out to list "
                "every run"
            ) from None
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            raise ConfigError(
                f"--since: {text!r} is neither a date/time (2024-10-02, 2024-10-02T09:30) "
                "nor an age (90m, 6h, 7d)"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=BANGKOK)
    try:
        return moment.astimezone(BANGKOK).isoformat(timespec="seconds")
    except OverflowError:  # (0001-01-01 east of Bangkok, 9999-12-31 west of it)
        raise ConfigError(
            f"--since: {text!r} is at the very edge of the calendar — give a date between "
            "0002 and 9998, or leave --since out to list every run"
        ) from None


def cmd_check_config(args: argparse.Namespace) -> int:
    """Validate a configuration file: OK and a summary, or each problem on its own line."""
    from sync.service import check_config

    path = args.config or args.file
    if path is None:
        raise UsageError("check-config needs the file: sheetsync check-config FILE")
    try:
        lines = check_config(path)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    print("OK")
    for line in lines:
        print(line)
    if not args.online:
        return EXIT_OK
    from sync.core.settings import load_config
    from sync.run.logconfig import configure_logging
    from sync.service.checks import check_online

    config = load_config(path)
    configure_logging(level="ERROR")
    good, problems = check_online(config)
    print(f"online: {len(good)} of {len(config.spreadsheets)} spreadsheet(s) ready")
    for line in good:
        print(line)
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_FAILED if problems else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The command line, shared by `main` and the documentation test."""
    parser = Parser(
        prog="sheetsync",
        description="Validate, compute and summarise the regional reporting spreadsheets.",
    )
    parser.add_argument("--version", action="version", version=f"sheetsync {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run one sync now", description=cmd_run.__doc__)
    run.add_argument("--config", type=Path, help="TOML configuration file")
    run.add_argument("--spreadsheet", help="spreadsheet id or URL (default: every configured one)")
    run.add_argument("--endpoint", help="API endpoint; e.g. http://127.0.0.1:8765 for the emulator")
    run.add_argument("--credentials", type=Path, help="service-account key file (JSON)")
    run.add_argument("--fiscal-year", type=int, help="Thai fiscal year, e.g. 2567")
    run.add_argument(
        "--profile",
        help="target profile: manual-2567, tor-2569 or a [profiles.NAME] of the configuration",
    )
    run.add_argument("--dry-run", action="store_true", help="print planned changes, write nothing")
    run.add_argument("--json", action="store_true", help="print one JSON object per spreadsheet")
    run.add_argument(
        "--verbose", action="store_true", help="with --dry-run: every planned change, not the first"
    )
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser("serve", help="run the scheduled service", description=cmd_serve.__doc__)
    serve.add_argument("--config", type=Path, help="TOML configuration file")
    serve.set_defaults(func=cmd_serve)

    status = sub.add_parser(
        "status", help="last run of every spreadsheet", description=cmd_status.__doc__
    )
    status.add_argument("--config", type=Path, help="TOML configuration file")
    status.add_argument("--json", action="store_true", help="print one JSON list")
    status.add_argument(
        "--prune", action="store_true", help="forget spreadsheets not in the configuration"
    )
    status.set_defaults(func=cmd_status)

    history = sub.add_parser(
        "history", help="recorded runs, newest first", description=cmd_history.__doc__
    )
    history.add_argument("--config", type=Path, help="TOML configuration file")
    history.add_argument("--spreadsheet", help="only this spreadsheet (id or URL)")
    history.add_argument("--since", help="from this date/time (2024-10-02) or age (6h, 7d)")
    history.add_argument("--limit", type=int, default=50, help="at most this many runs (50)")
    history.add_argument("--json", action="store_true", help="print one JSON list")
    history.set_defaults(func=cmd_history)

    check = sub.add_parser(
        "check-config", help="validate a configuration file", description=cmd_check_config.__doc__
    )
    check.add_argument("file", type=Path, nargs="?", help="TOML configuration file")
    check.add_argument("--config", type=Path, help="the same, as an option")
    check.add_argument(
        "--online",
        action="store_true",
        help="also ask each spreadsheet: reachable, shared, tabs and headers in place",
    )
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
    """Entry point of the `sheetsync` console script; every failure is one line on stderr."""
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version, or a usage error already printed
            return exc.code if isinstance(exc.code, int) else EXIT_OK
        code: int = args.func(args)
        sys.stdout.flush()
        return code
    except ConfigError as exc:
        # Each problem of the file on one line (`check-config` lists them a line each).
        print("ConfigError: " + " · ".join(str(exc).splitlines()), file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(_one_line(exc), file=sys.stderr)
        return EXIT_USAGE
    except SyncError as exc:
        print(_one_line(exc), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("Interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more, and keep the interpreter's final
        # flush from failing on the closed pipe too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (OSError, sqlite3.Error) as exc:
        # A file the command needs (history, lock folder, state) cannot be used.
        print(_one_line(exc), file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
