"""
2. People editing during runs: seeded inserts, deletes, sorts, moves and typing.

Edits fire between the requests of a run (before its reads, its write and its verify read)
and between runs. After every run: no worker value sits beside the wrong row (a dry run
right after plans nothing), and no person's edit was lost (people's cells equal the same
edits replayed on a copy the worker never touched). A run that used all its write/verify
rounds says how many cells it wrote unverified; people who never stop editing are the one
case where that count is not zero, and the next quiet run repairs them.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from sheets_emulator.http.server import run_emulator
from sheets_emulator.model.store import Store
from sync.backends.memory import MemoryBackend
from sync.demo.rehearsal import Trial, plan_trial, random_edit
from sync.demo.seed import people_view
from sync.run.loop import run_sync
from tests.reliability._harness import (
    REGIONS,
    SPREADSHEET,
    fixed_clock,
    fresh_store,
    gspread_backend,
    no_pause,
    settings,
    take,
)
from tests.reliability.conftest import Tally

pytestmark = pytest.mark.reliability

CHUNK = 80
"""Seeded trials per test of edits during one run (4 chunks: 320 trials)."""


def _fire(trial: Trial) -> tuple[Any, list[int]]:
    """A `before_request` hook applying the trial's edits in order, and the indices fired."""
    pending = list(enumerate(trial.edits))
    fired: list[int] = []

    def before(number: int, store: Store) -> None:
        while pending and pending[0][1].before_request == number:
            index, edit = pending.pop(0)
            edit.apply(store)
            fired.append(index)

    return before, fired


def _verdict(store: Store, replay: Store, report: Any, story: str) -> list[str]:
    """What went wrong after one run, if anything."""
    problems = []
    if report.outcome != "ok":
        problems.append(f"run ended {report.outcome}: {report.error}")
    check = run_sync(MemoryBackend(store), settings(dry_run=True), clock=fixed_clock)
    if check.planned:
        cells = ", ".join(f"{c.tab}!{c.a1}" for c in check.planned[:5])
        problems.append(f"{len(check.planned)} misplaced or missing worker cells ({cells})")
    if people_view(take(replay)) != people_view(take(store)):
        problems.append("a person's edit was lost")
    return [f"{p} after [{story}]" for p in problems]


def _one_run_trial(seed: int, *, synced: bool) -> list[str]:
    store = fresh_store(rows=10, seed=13, synced=synced)
    replay = Store.from_json(store.to_json())
    trial = plan_trial(seed, store, SPREADSHEET, list(REGIONS), max_edits=4, max_request=6)
    hook, fired = _fire(trial)
    report = run_sync(
        MemoryBackend(store, before_request=hook), settings(), clock=fixed_clock, pause=no_pause
    )
    for index in fired:
        trial.edits[index].apply(replay)
    story = "; ".join(trial.edits[i].description for i in fired)
    return [f"seed {seed}: {p}" for p in _verdict(store, replay, report, story)]


@pytest.mark.parametrize("chunk", range(4))
def test_edits_during_a_run(chunk: int, tally: Tally) -> None:
    """Up to four edits before random requests of a steady-state run: nothing misplaced or lost."""
    for seed in range(5000 + chunk * CHUNK, 5000 + (chunk + 1) * CHUNK):
        problems = _one_run_trial(seed, synced=True)
        tally.record(not problems, "; ".join(problems))
    tally.assert_clean()


def test_edits_during_the_first_run(tally: Tally) -> None:
    """Edits while the first run adds its block and its tabs: nothing misplaced, nothing lost."""
    for seed in range(7000, 7040):
        problems = _one_run_trial(seed, synced=False)
        tally.record(not problems, "; ".join(problems))
    tally.assert_clean()


def test_sequences_of_runs(tally: Tally) -> None:
    """Three runs in a row with edits between and during them: each run leaves a correct sheet."""
    for seed in range(8000, 8040):
        rng = random.Random(seed)
        store = fresh_store(rows=10, seed=13, synced=seed % 4 == 0)
        replay = Store.from_json(store.to_json())
        for run_number in range(3):
            between = [random_edit(rng, store, SPREADSHEET, list(REGIONS)) for _ in range(2)]
            for _, edit in between[: rng.randint(0, 2)]:
                edit(store)
                edit(replay)
            trial = plan_trial(seed * 10 + run_number, store, SPREADSHEET, list(REGIONS))
            hook, fired = _fire(trial)
            report = run_sync(
                MemoryBackend(store, before_request=hook),
                settings(),
                clock=fixed_clock,
                pause=no_pause,
            )
            for index in fired:
                trial.edits[index].apply(replay)
            story = "; ".join(trial.edits[i].description for i in fired)
            problems = _verdict(store, replay, report, story)
            tally.record(not problems, f"seed {seed} run {run_number + 1}: {problems}")
    tally.assert_clean()


def test_edits_and_faults_over_http(tally: Tally) -> None:
    """Edits fired by the emulator between gspread's requests, some with the write cut or failed."""
    for seed in range(9000, 9040):
        # Every fourth trial is a first run, whose write also adds the block and the tabs.
        store = fresh_store(rows=10, seed=13, synced=seed % 4 != 0)
        replay = Store.from_json(store.to_json())
        trial = plan_trial(seed, store, SPREADSHEET, list(REGIONS), max_edits=4, max_request=6)
        with run_emulator(store) as emulator:
            for edit in trial.edits:
                emulator.faults.before_request(edit.before_request, edit.apply)
            if seed % 3 == 1:
                emulator.faults.drop_next(1, kind="write", mode="before_response")
            elif seed % 3 == 2:
                emulator.faults.fail_next(1, 503, kind="write")
            with gspread_backend(emulator.base_url) as backend:
                report = run_sync(backend, settings(), clock=fixed_clock, pause=no_pause)
            fired = len(trial.edits) - emulator.faults.pending_edits
            errors = list(emulator.faults.edit_errors)
        for edit in trial.edits[:fired]:
            edit.apply(replay)
        story = "; ".join(e.description for e in trial.edits[:fired])
        problems = _verdict(store, replay, report, story)
        if errors:
            problems.append(f"an edit failed: {errors}")
        tally.record(not problems, f"seed {seed}: {problems}")
    tally.assert_clean()


def _every_request(edits: list[Any], applied: list[int]) -> Any:
    """A hook applying edit number n before request number n."""

    def before(number: int, store: Store) -> None:
        if number <= len(edits):
            edits[number - 1](store)
            applied.append(number - 1)

    return before


def test_people_who_never_stop_editing(tally: Tally) -> None:
    """An edit before every request: the run stops after its rounds, says so, the next repairs."""
    for seed in range(9500, 9520):
        rng = random.Random(seed)
        store = fresh_store(rows=10, seed=13, synced=True)
        replay = Store.from_json(store.to_json())
        edits = [random_edit(rng, store, SPREADSHEET, list(REGIONS))[1] for _ in range(12)]
        applied: list[int] = []
        report = run_sync(
            MemoryBackend(store, before_request=_every_request(edits, applied)),
            settings(),
            clock=fixed_clock,
            pause=no_pause,
        )
        for index in applied:
            edits[index](replay)
        check = run_sync(MemoryBackend(store), settings(dry_run=True), clock=fixed_clock)
        problems = []
        if check.planned and not report.unconverged_cells:
            problems.append(f"{len(check.planned)} cells misplaced and the run did not say so")
        repair = run_sync(MemoryBackend(store), settings(), clock=fixed_clock)
        if (
            repair.unconverged_cells
            or run_sync(MemoryBackend(store), settings(), clock=fixed_clock).writes
        ):
            problems.append("the next quiet run did not repair the sheet")
        if people_view(take(replay)) != people_view(take(store)):
            problems.append("a person's edit was lost")
        tally.record(not problems, f"seed {seed}: {problems}")
    tally.assert_clean()
