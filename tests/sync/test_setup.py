"""The conditional formats the worker installs colour exactly the cells its codes name."""

from __future__ import annotations

import re

import rules
from rules import headers as h
from sync.backends.base import SheetInfo
from sync.evaluate import CODES_SEPARATOR, finding_token
from sync.setup import MARKER, TabLayout, conditional_rules, rule_requests


def _layout(existing: tuple[dict[str, object], ...] = ()) -> TabLayout:
    return TabLayout(
        title="ศก.1",
        info=SheetInfo(7, "ศก.1", 1, 1000, 100, conditional_formats=existing),
        input_columns={h.NATIONAL_ID: 8, h.FULL_NAME: 9},
        worker_columns={header: 60 + i for i, header in enumerate(h.WORKER_HEADERS)},
        missing_worker=(),
        header_row=3,
        first_data_row=4,
    )


def _pattern(rule: dict[str, object]) -> tuple[int, str]:
    """The column a rule colours and its REGEXMATCH pattern, as Sheets would evaluate it."""
    formula = rule["booleanRule"]["condition"]["values"][0]["userEnteredValue"]  # type: ignore[index]
    found = re.search(r'REGEXMATCH\([^,]+,"(.*?)"\)', str(formula))
    assert found is not None
    return rule["ranges"][0]["startColumnIndex"], found.group(1)  # type: ignore[index]


def test_codes_cell_drives_the_colour_of_each_input_cell() -> None:
    """An error on the ID colours the ID cell red only; once fixed, nothing matches."""
    error = rules.Finding("pin_checksum", rules.Severity.ERROR, h.NATIONAL_ID, "x")
    warning = rules.Finding("name_no_space", rules.Severity.WARNING, h.FULL_NAME, "y")
    codes = CODES_SEPARATOR.join(finding_token(f) for f in (error, warning))
    hits = {
        (column, pattern.split(":")[0][-1])
        for column, pattern in map(_pattern, conditional_rules(_layout())[4:])
        if re.search(pattern, codes)
    }
    assert {(8, "E"), (9, "W")} == hits
    fixed = finding_token(warning)
    still = [p for c, p in map(_pattern, conditional_rules(_layout())[4:]) if re.search(p, fixed)]
    assert 1 == len(still)


def test_rules_are_installed_once() -> None:
    """When the wanted rules are already there (as the API echoes them), nothing is sent."""
    wanted = conditional_rules(_layout())
    assert rule_requests(_layout()) != []
    echoed = tuple(dict(rule) for rule in wanted)
    assert [] == rule_requests(_layout(echoed))
    assert all(MARKER in str(rule) for rule in wanted)
