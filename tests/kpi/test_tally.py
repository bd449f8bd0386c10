"""
The summary from tallies of blocks of rows (as a service keeps them between runs) is the
summary of the rows, however the rows are cut into blocks.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from kpi import FORM_CHECKBOXES, PROFILES, RowOutcome, Tally, summarise, summary_of
from rules import headers as h

REGIONS = ("ศก.1", "ศก.2", "ศก.3")
STATUSES = (h.STATUS_PASS, h.STATUS_PASS, h.STATUS_WARN, h.STATUS_FAIL, h.STATUS_DUPLICATE)


def _money(rng: random.Random) -> Decimal | None:
    return None if rng.random() < 0.3 else Decimal(rng.randrange(-50_000, 2_000_000)) / 100


def _outcomes(rng: random.Random) -> list[RowOutcome]:
    """Rows of three tabs whose people, enterprises and groups repeat across the tabs."""
    rows = []
    for region in REGIONS:
        for row in range(4, 4 + rng.randrange(0, 60)):
            kpis: dict[str, object] = dict.fromkeys(h.KPI_HEADERS)
            for header in (
                h.WASTE_REDUCTION_PCT,
                h.COST_REDUCTION_PCT,
                h.SALES_INCREASE_PCT,
                h.WASTE_REDUCTION_BAHT,
                h.COST_REDUCTION_BAHT,
                h.SALES_INCREASE_BAHT,
                h.INCOME_INCREASE_BAHT,
                h.PRODUCT_VALUE_BAHT,
                h.ECONOMIC_VALUE,
            ):
                kpis[header] = _money(rng)
            kpis[h.SATISFACTION_PCT] = rng.choice([None, Decimal(60), Decimal("80.00"), 95])
            kpis[h.PRODUCTIVITY_FLAG] = rng.choice([None, h.YES, h.NO, h.NO])
            form: dict[str, object] = {
                h.KNOWLEDGE_GAIN: rng.choice([None, Decimal("12.5"), Decimal(40)]),
                h.KNOWLEDGE_APPLIED: rng.choice([None, Decimal("33.33")]),
            }
            form.update({box: rng.random() < 0.4 for box in FORM_CHECKBOXES})
            rows.append(
                RowOutcome(
                    region=region,
                    row=row,
                    status=rng.choice(STATUSES),
                    cancelled=rng.random() < 0.1,
                    national_id=rng.choice([None, *[f"ID{n}" for n in range(25)]]),
                    tax_id=rng.choice([None, *[f"T{n}" for n in range(12)]]),
                    kpis=kpis,  # type: ignore[arg-type]
                    codes=tuple(rng.sample(["a", "b", "c", "d"], rng.randrange(0, 3))),
                    group=rng.choice([None, "เครือข่าย 1", "เครือข่าย 2"]),
                    form_results=form,
                )
            )
    return rows


def _blocks(outcomes: list[RowOutcome], rng: random.Random) -> list[Tally]:
    """The rows cut into blocks of random sizes, each within one tab, in row order."""
    tallies, start = [], 0
    profile = PROFILES["manual-2567"]
    while start < len(outcomes):
        region = outcomes[start].region
        end = start + 1
        while end < len(outcomes) and outcomes[end].region == region and rng.random() < 0.9:
            end += 1
        tallies.append(Tally(region, outcomes[start:end], profile))
        start = end
    return tallies


@pytest.mark.parametrize("seed", range(40))
def test_tallies_of_any_blocks_give_the_summary_of_the_rows(seed: int) -> None:
    rng = random.Random(seed)
    outcomes = _outcomes(rng)
    profile = PROFILES["manual-2567"]
    whole = summarise(outcomes, regions=REGIONS, profile=profile)
    assert whole == summary_of(_blocks(outcomes, rng), regions=REGIONS, profile=profile)


def test_a_participants_first_answer_counts_whatever_block_it_falls_in() -> None:
    """Satisfaction takes each participant's first answer in row order, across blocks and
    tabs; an enterprise with ใช่ on any row is improved, whichever block says so."""
    profile = PROFILES["manual-2567"]

    def row(region: str, number: int, answer: str | None, flag: str | None) -> RowOutcome:
        kpis: dict[str, object] = dict.fromkeys(h.KPI_HEADERS)
        kpis[h.SATISFACTION_PCT] = None if answer is None else Decimal(answer)
        kpis[h.PRODUCTIVITY_FLAG] = flag
        return RowOutcome(
            region=region,
            row=number,
            status=h.STATUS_PASS,
            cancelled=False,
            national_id="P",
            tax_id="T",
            kpis=kpis,  # type: ignore[arg-type]
        )

    rows = [row("ศก.1", 4, None, h.NO), row("ศก.1", 5, "50", None), row("ศก.2", 4, "90", h.YES)]
    tallies = [Tally(r.region, [r], profile) for r in rows]
    total = summary_of(tallies, regions=REGIONS, profile=profile).total
    assert (1, 1, Decimal("50.00")) == (
        total.unique_participants,
        total.satisfied.known,
        total.satisfaction_average,
    )
    assert (0, 1) == (total.satisfied.hits, total.satisfied.base)
    assert (1, 1, 1) == (
        total.productivity.hits,
        total.productivity.known,
        total.productivity.base,
    )


def test_a_tally_of_rows_from_another_tab_is_refused() -> None:
    profile = PROFILES["manual-2567"]
    outcomes = _outcomes(random.Random(3))
    other = next(o for o in outcomes if o.region != outcomes[0].region)
    with pytest.raises(ValueError, match="is from region"):
        Tally(outcomes[0].region, [outcomes[0], other], profile)
