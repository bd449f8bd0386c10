"""
From what was read to what every worker cell should hold: pure, no I/O, no clock.

Runs the rules and the KPI formulas on every non-blank row of every regional tab, marks
repeats across tabs (domain spec §5), and derives the worker block's values (§3.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import msgspec

import kpi
import rules
from rules import headers as h
from rules.header_map import HeaderMap
from sync.core.cells import CellValue
from sync.core.layout import column_key

DETAILS_SEPARATOR = "; "
CODES_SEPARATOR = ", "


@dataclass(frozen=True)
class RegionTab:
    """One regional tab as read: configured region name, actual title, grid and columns."""

    region: str
    title: str
    grid: list[list[Any]]
    headers: HeaderMap
    worker_columns: Mapping[str, int]
    """Worker header -> column index, including columns the setup is about to append."""
    first_data_row: int


@dataclass(frozen=True)
class RowEvaluation:
    """Everything decided about one non-blank row."""

    region: str
    row: int
    cells: Mapping[str, object]
    check: rules.RowResult
    kpis: Mapping[str, Any]
    """The computed KPI cells (what the worker writes)."""
    figures: Mapping[str, Any]
    """The row's figures for the summary: computed, else the result people typed."""
    findings: tuple[rules.Finding, ...]
    status: str
    pointer: str

    def outcome(self) -> kpi.RowOutcome:
        """The row as the summary counts it."""
        return kpi.RowOutcome(
            region=self.region,
            row=self.row,
            status=self.status,
            cancelled=self.check.cancelled,
            national_id=self.check.national_id,
            tax_id=self.check.tax_id,
            kpis=self.figures,
            codes=tuple(finding_token(f) for f in self.findings),
            group=_group(self.check.values),
            form_results={x: self.check.values[x] for x in FORM_RESULTS if x in self.check.values},
        )


FORM_RESULTS: tuple[str, ...] = (h.KNOWLEDGE_GAIN, h.KNOWLEDGE_APPLIED, *kpi.FORM_CHECKBOXES)
"""The form's own results the summary counts or averages per region (domain spec §7)."""

KEPT_VALUES: tuple[str, ...] = (h.GROUP_REGISTRATION, h.GROUP_NAME, *FORM_RESULTS)
"""Parsed values a row evaluation keeps: what `RowEvaluation.outcome` reads of them."""


def _group(values: Mapping[str, object]) -> str | None:
    """
    The group a row belongs to: its registration number when the form has one, else its name.
    """
    for header in (h.GROUP_REGISTRATION, h.GROUP_NAME):
        value = values.get(header)
        if isinstance(value, str) and value:
            return value
    return None


def finding_token(finding: rules.Finding) -> str:
    """Stable machine token of a finding: severity letter, code and column key."""
    letter = "E" if finding.severity == rules.Severity.ERROR else "W"
    return f"{letter}:{finding.code}/{column_key(finding.column)}"


@dataclass(frozen=True)
class Evaluation:
    """Every evaluated row in tab-then-row order, and the blank rows whose cells to clear."""

    rows: tuple[RowEvaluation, ...]
    blank_rows: Mapping[str, tuple[int, ...]]


def options_from_grid(grid: Sequence[Sequence[Any]]) -> dict[str, list[str]]:
    """The `ตัวเลือก` tab's lists: names in row 1, values down each column."""
    if not grid:
        return {}
    names = grid[0]
    lists: dict[str, list[str]] = {}
    for col, name in enumerate(names):
        if rules.is_blank(name):
            continue
        values = []
        for row in grid[1:]:
            if col < len(row) and not rules.is_blank(row[col]):
                value = row[col]
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                values.append(str(value).strip())
        lists[str(name).strip()] = values
    return lists


class RowCells(Mapping[str, object]):
    """
    One row's input cells by canonical header, read from the grid's own row list.

    What a row evaluation keeps of the row (the compiled tab copies a few of its cells): a
    view costs two references where a dict of every column of every row cost tens of MB.
    """

    __slots__ = ("_columns", "_row")

    def __init__(self, row: Sequence[object], columns: Mapping[str, int]) -> None:
        self._row = row
        self._columns = columns

    def __getitem__(self, header: str) -> object:
        index = self._columns[header]
        return self._row[index] if index < len(self._row) else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


CacheKey = tuple[object, bytes]
"""A row's context (tab, year, date, headers) and the digest of its values."""


def _row_digest(values: tuple[object, ...]) -> bytes:
    """
    A digest of a row's values that tells 1, 1.0 and True apart (their JSON differs), so the
    cache keeps 16 bytes per row instead of the row's values and their types.
    """
    encoded = msgspec.json.encode(values, enc_hook=_tagged)
    return hashlib.blake2b(encoded, digest_size=16).digest()


def _tagged(value: object) -> object:
    return ["$", type(value).__qualname__, repr(value)]


@dataclass
class RowCache:
    """Results of rows already checked in this run, valid while the dropdown lists hold."""

    options: object = None
    rows: dict[CacheKey, tuple[rules.RowResult, kpi.KpiResult]] = field(default_factory=dict)

    def for_options(
        self, options_grid: object
    ) -> dict[CacheKey, tuple[rules.RowResult, kpi.KpiResult]]:
        """The cached rows, emptied first when the `ตัวเลือก` lists changed."""
        if options_grid != self.options:
            self.rows = {}
            self.options = options_grid
        return self.rows


def evaluate(
    tabs: Sequence[RegionTab],
    *,
    options: Mapping[str, Sequence[str]],
    fiscal_year: int,
    as_of: date,
    cache: dict[CacheKey, tuple[rules.RowResult, kpi.KpiResult]] | None = None,
) -> Evaluation:
    """
    Check, compute and de-duplicate every row of every processable tab.

    A run evaluates twice (plan, then verify after its write); `cache` lets the verify round
    skip rows whose cells did not change. Only a row's own results are cached: duplicates
    depend on the other rows and are always resolved afresh.
    """
    cache = {} if cache is None else cache
    provisional: list[tuple[str, int, RowCells, rules.RowResult, kpi.KpiResult]] = []
    blank: dict[str, tuple[int, ...]] = {}
    for tab in tabs:
        blanks = []
        # A row's cache key: its values in column order and their types (1, 1.0 and True are
        # equal in Python but are different cells), with the headers they sit under (one tuple
        # per tab) in case columns moved between the two rounds.
        context = (tab.region, fiscal_year, as_of, tuple(tab.headers.columns))
        columns = tab.headers.columns
        for row_number in range(tab.first_data_row, len(tab.grid) + 1):
            grid_row = tab.grid[row_number - 1]
            cells = tab.headers.row_cells(grid_row)
            if all(rules.is_blank(v) for v in cells.values()):
                blanks.append(row_number)
                continue
            # An empty cell the API omitted (None) and one it sends as '' (once the worker's
            # columns exist to its right) are the same cell: one key, or round 2 re-checks
            # nearly every row of a first run.
            key = (context, _row_digest(tuple(None if v == "" else v for v in cells.values())))
            cached = cache.get(key)
            if cached is None:
                check = rules.check_row(
                    cells, region=tab.region, options=options, fiscal_year=fiscal_year, as_of=as_of
                )
                result = kpi.evaluate_row(cells, parsed=check.values, changes=check.changes)
                # Only what later steps read is kept: the parsed values of every column and
                # the formulas' working stay behind with this row's dict.
                kept = {x: check.values[x] for x in KEPT_VALUES if x in check.values}
                cached = cache[key] = (replace(check, values=kept, changes=None), result)
            check, result = cached
            if check.is_blank:
                blanks.append(row_number)
                continue
            provisional.append((tab.region, row_number, RowCells(grid_row, columns), check, result))
        blank[tab.region] = tuple(blanks)

    statuses = []
    candidates = []
    for region, row_number, _cells, check, _result in provisional:
        findings = check.findings
        status = check.status
        statuses.append((findings, status))
        candidates.append(
            rules.DuplicateCandidate(
                ref=rules.RowRef(region, row_number),
                national_id=check.national_id,
                status=status,
                cancelled=check.cancelled,
            )
        )
    marks = rules.resolve_duplicates(candidates)

    rows = []
    for (region, row_number, row_cells, check, result), (findings, status) in zip(
        provisional, statuses, strict=True
    ):
        mark = marks.get(rules.RowRef(region, row_number))
        rows.append(
            RowEvaluation(
                region=region,
                row=row_number,
                cells=row_cells,
                check=check,
                kpis=result.values,
                figures=result.figures,
                findings=findings,
                status=mark.status if mark else status,
                pointer=mark.pointer if mark else "",
            )
        )
    return Evaluation(rows=tuple(rows), blank_rows=blank)


def worker_values(row: RowEvaluation, columns: Container[str]) -> dict[str, CellValue]:
    """
    The worker block of one row, except `ตรวจสอบล่าสุด` (set only when the row changes); the
    computed KPIs only where the tab has their columns (`columns`, its worker headers).
    """
    values: dict[str, CellValue] = {}
    for header in h.KPI_HEADERS:
        if header in columns:
            values[header] = row.kpis.get(header)
    values[h.CHECK_STATUS] = row.status
    values[h.DETAILS] = DETAILS_SEPARATOR.join(f.text for f in row.findings) or None
    values[h.ERROR_CODES] = CODES_SEPARATOR.join(finding_token(f) for f in row.findings) or None
    values[h.DUPLICATE_OF] = row.pointer or None
    return values
