"""
What the service builds once, at start, before any spreadsheet's rows.

A run loads the checks, the formulas and the planner, and builds what lives for the whole
process: the address index, each template's column rules and header names, the layouts. Built
during the first large run, these few thousand objects land in among its millions of
short-lived ones, and each keeps a page of that run's freed memory from going back to the
system between runs (measured: ~25 MiB more after a first run of 7 × 2,000 rows). Built from
a tiny sheet first, they sit together. A one-shot `sheetsync run` skips this: it loads only
what its run needs.
"""

from __future__ import annotations

import importlib
from datetime import date

PLANNER = ("sync.core.round", "sync.run.write")
"""The modules a run that plans imports on the way (`sync.run.loop`)."""

DEMO_ROWS = 3
"""Rows per regional tab of the sheet checked at start (every kind of cell, 21 rows)."""


def warm_up() -> None:
    """Import and build what every run uses, by checking a tiny generated sheet (no I/O)."""
    import rules
    from rules import headers as h
    from sync.core.evaluate import evaluate
    from sync.core.tabs import RegionTab
    from sync.demo.data import generate_spreadsheet, options_lists

    sheet = generate_spreadsheet(rows_per_region=DEMO_ROWS)
    tabs = []
    for region in h.DEFAULT_REGION_TABS:
        grid = sheet.tabs[region]
        mapping = rules.map_headers(grid[2], grid[1])
        tabs.append(RegionTab(region, region, grid, mapping, {}, first_data_row=4))
    evaluate(tabs, options=options_lists(), fiscal_year=2567, as_of=date(2024, 1, 1))
    for planner in PLANNER:  # a first run imports them only once its read is decoded
        importlib.import_module(planner)
