"""
One row's KPI cells from raw Sheets values (operating manual, การคำนวณผลลัพธ์ตัวชี้วัด).
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from decimal import Decimal as D

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rules
from kpi import KpiCells, KpiResult, compute_row, evaluate_row
from kpi.formulas import Change, RowChanges, round_half_up
from rules import Finding, Severity
from rules import headers as h
from rules.checks.results import ZERO_BASE_CODE, ZERO_BASE_MESSAGE, ZERO_PRODUCED_AFTER_CODE


def _kpi_findings(cells: dict[str, object]) -> tuple[Finding, ...]:
    """The findings `rules.check_row` gives a row about its KPIs (what the worker writes too)."""
    result = rules.check_row(cells, region="ศก.1", options={}, fiscal_year=2567)
    return tuple(f for f in result.findings if f.code.startswith("kpi_"))


BLANK_ROW: dict[str, object] = {}

FULL_ROW: dict[str, object] = {
    # formula 1: 5 % → 2 %, reduction (5 − 2) ÷ 5 × 100 = 60 %; (3000 − 1200) × 12 = 21600.
    h.WASTE_BEFORE: 50,
    h.PRODUCED_BEFORE: "1,000",
    h.WASTE_AFTER: "๒๐",
    h.PRODUCED_AFTER: 1000.0,
    h.WASTE_VALUE_BEFORE: "3,000 บาท",
    h.WASTE_VALUE_AFTER: 1200,
    # formula 2: (100000 − 80000) ÷ 100000 × 100 = 20 %; 20000 × 12 = 240000.
    h.COST_BEFORE: "100000",
    h.COST_AFTER: "80000",
    # formula 3: (55000 − 50000) ÷ 50000 × 100 = 10 %; 5000 × 12 = 60000.
    h.SALES_BEFORE: 50000,
    h.SALES_AFTER: 55000,
    # formula 4: (45000 − 40000) ÷ 40000 × 100 = 12.5 %; 5000 × 12 = 60000.
    h.INCOME_BEFORE: 40000,
    h.INCOME_AFTER: 45000,
    # formula 5.1: (120 − 100) ÷ 100 × 100 = 20 %; 20 × 500 × 12 = 120000.
    h.PRICE_BEFORE: 100,
    h.PRICE_AFTER: 120,
    h.UNITS_SOLD_AFTER: 500,
    # formula 7: (2000 − 1500) ÷ 2000 × 100 = 25 %.
    h.CARBON_BEFORE: 2000,
    h.CARBON_AFTER: "1500",
    # formula 6: 5×4 + 4×5 = 40; 40 ÷ 45 × 100 = 88.888… → 88.89.
    **{item: 5 if index < 4 else "4" for index, item in enumerate(h.SATISFACTION_ITEMS)},
}

FULL_EXPECTED: dict[str, object] = {
    h.WASTE_REDUCTION_PCT: D("60.00"),
    h.WASTE_REDUCTION_BAHT: D("21600.00"),
    h.COST_REDUCTION_PCT: D("20.00"),
    h.COST_REDUCTION_BAHT: D("240000.00"),
    h.SALES_INCREASE_PCT: D("10.00"),
    h.SALES_INCREASE_BAHT: D("60000.00"),
    h.INCOME_INCREASE_PCT: D("12.50"),
    h.INCOME_INCREASE_BAHT: D("60000.00"),
    h.PRODUCT_VALUE_PCT: D("20.00"),
    h.PRODUCT_VALUE_BAHT: D("120000.00"),
    h.CARBON_REDUCTION_PCT: D("25.00"),
    h.SATISFACTION_PCT: D("88.89"),
    # waste 21600 + cost 240000 + sales 60000 + product 120000 = 441600 (income left out).
    h.ECONOMIC_VALUE: D("441600.00"),
    h.PRODUCTIVITY_FLAG: h.YES,
}


def test_full_row() -> None:
    """A fully filled row gets every KPI, computed from values as people type them."""
    assert compute_row(FULL_ROW) == FULL_EXPECTED


def test_keys_are_exactly_the_kpi_headers_in_order() -> None:
    """Every KPI header is present, in block order, even for a blank row."""
    assert list(h.KPI_HEADERS) == list(compute_row(FULL_ROW))
    assert list(h.KPI_HEADERS) == list(compute_row(BLANK_ROW))


def test_blank_row_is_all_blank() -> None:
    """Missing inputs give blanks, never zeros, and no findings."""
    blank = dict.fromkeys(h.KPI_HEADERS)
    assert KpiResult(blank, blank) == evaluate_row(BLANK_ROW)


def test_compute_row_is_evaluate_row_values() -> None:
    """compute_row returns the values of evaluate_row."""
    assert evaluate_row(FULL_ROW).values == compute_row(FULL_ROW)


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({h.COST_BEFORE: 0, h.COST_AFTER: 10}, h.COST_BEFORE),
        ({h.SALES_BEFORE: "0", h.SALES_AFTER: 10}, h.SALES_BEFORE),
        ({h.INCOME_BEFORE: 0.0, h.INCOME_AFTER: 10}, h.INCOME_BEFORE),
        ({h.CARBON_BEFORE: "0.00", h.CARBON_AFTER: 1}, h.CARBON_BEFORE),
        ({h.PRICE_BEFORE: 0, h.PRICE_AFTER: 5}, h.PRICE_BEFORE),
        (
            {h.WASTE_BEFORE: 5, h.PRODUCED_BEFORE: 0, h.WASTE_AFTER: 1, h.PRODUCED_AFTER: 10},
            h.PRODUCED_BEFORE,
        ),
        (
            {h.WASTE_BEFORE: 0, h.PRODUCED_BEFORE: 10, h.WASTE_AFTER: 1, h.PRODUCED_AFTER: 10},
            h.WASTE_BEFORE,
        ),
        (
            {
                h.PRICE_BEFORE: 10,
                h.PRICE_AFTER: 10,
                h.UNIT_COST_BEFORE: 0,
                h.UNIT_COST_AFTER: 3,
            },
            h.UNIT_COST_BEFORE,
        ),
    ],
)
def test_zero_base_warns_on_base_column(cells: dict[str, object], column: str) -> None:
    """A zero base leaves the percentage blank and check_row warns on the base column."""
    findings = _kpi_findings(cells)
    assert (Finding(ZERO_BASE_CODE, Severity.WARNING, column, ZERO_BASE_MESSAGE),) == findings
    assert f"{column}: ค่าก่อนเป็นศูนย์ คำนวณร้อยละไม่ได้" == findings[0].text
    assert (
        h.STATUS_PASS != rules.check_row(cells, region="ศก.1", options={}, fiscal_year=2567).status
    )


def test_zero_base_keeps_the_baht_value() -> None:
    """Only the percentage needs the base: sales 0 → 5000 still gain 5000 × 12 a year."""
    values = compute_row({h.SALES_BEFORE: 0, h.SALES_AFTER: 5000})
    assert (None, D("60000.00")) == (values[h.SALES_INCREASE_PCT], values[h.SALES_INCREASE_BAHT])


def test_nothing_produced_after() -> None:
    """With nothing produced after, the waste rate after is undefined and a warning says so."""
    cells: dict[str, object] = {
        h.WASTE_BEFORE: 5,
        h.PRODUCED_BEFORE: 100,
        h.WASTE_AFTER: 0,
        h.PRODUCED_AFTER: 0,
    }
    assert evaluate_row(cells).values[h.WASTE_REDUCTION_PCT] is None
    assert [(finding.code, finding.column) for finding in _kpi_findings(cells)] == [
        (ZERO_PRODUCED_AFTER_CODE, h.PRODUCED_AFTER)
    ]


@pytest.mark.parametrize(
    "bad",
    ["-100", -100, "abc", "", "  ", None, True, float("nan"), "1.2.3"],
    ids=["negative-text", "negative", "text", "empty", "spaces", "none", "bool", "nan", "dots"],
)
def test_unusable_input_counts_as_missing(bad: object) -> None:
    """A blank, unparseable or negative input leaves its KPI blank (the rules report it)."""
    values = compute_row({h.COST_BEFORE: bad, h.COST_AFTER: 80})
    assert (values[h.COST_REDUCTION_PCT], values[h.COST_REDUCTION_BAHT]) == (None, None)
    assert values[h.ECONOMIC_VALUE] is None
    assert values[h.PRODUCTIVITY_FLAG] is None


@pytest.mark.parametrize(
    ("after", "expected_pct", "expected_baht"),
    [
        # (100 − 87.655) ÷ 100 × 100 = 12.345 → 12.35; 12.345 × 12 = 148.14.
        ("87.655", D("12.35"), D("148.14")),
        # (100 − 87.655001) ÷ 100 × 100 = 12.344999 → 12.34; 12.344999 × 12 = 148.139988 → 148.14.
        ("87.655001", D("12.34"), D("148.14")),
        # an API float is read through its shortest repr, so 87.655 is still exactly 12.345.
        (87.655, D("12.35"), D("148.14")),
        # costs rose: (100 − 112.345) ÷ 100 × 100 = −12.345 → −12.35 (halves away from zero).
        ("112.345", D("-12.35"), D("-148.14")),
    ],
)
def test_rounding_half_up_at_output(after: object, expected_pct: D, expected_baht: D) -> None:
    """Values are rounded half-up to 2 places only when written."""
    values = compute_row({h.COST_BEFORE: 100, h.COST_AFTER: after})
    assert (expected_pct, expected_baht) == (
        values[h.COST_REDUCTION_PCT],
        values[h.COST_REDUCTION_BAHT],
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # 5.1, price changed: product value (120 − 100) ÷ 100 = 20 %, 20 × 10 × 12 = 2400;
        # cost columns from formula 2 only, which is blank here.
        (
            {h.PRICE_BEFORE: 100, h.PRICE_AFTER: 120, h.UNITS_SOLD_AFTER: 10},
            (None, None, D("20.00"), D("2400.00"), D("2400.00")),
        ),
        # 5.2, price unchanged and monthly costs blank: (50 − 40) ÷ 50 × 100 = 20 %,
        # 10 × 1200 = 12000 in the cost columns; product value stays blank.
        (
            {
                h.PRICE_BEFORE: "100 บาท",
                h.PRICE_AFTER: "100.00",
                h.UNITS_SOLD_AFTER: 10,
                h.UNIT_COST_BEFORE: 50,
                h.UNIT_COST_AFTER: 40,
                h.UNITS_PRODUCED_12M: "1,200",
            },
            (D("20.00"), D("12000.00"), None, None, D("12000.00")),
        ),
        # price unchanged but formula 2 has inputs: (1000 − 900) ÷ 1000 = 10 %, 100 × 12 = 1200.
        (
            {
                h.PRICE_BEFORE: 100,
                h.PRICE_AFTER: 100,
                h.COST_BEFORE: 1000,
                h.COST_AFTER: 900,
                h.UNIT_COST_BEFORE: 50,
                h.UNIT_COST_AFTER: 40,
                h.UNITS_PRODUCED_12M: 1200,
            },
            (D("10.00"), D("1200.00"), None, None, D("1200.00")),
        ),
        # price changed: unit costs are not used even though monthly costs are blank.
        (
            {
                h.PRICE_BEFORE: 100,
                h.PRICE_AFTER: 110,
                h.UNIT_COST_BEFORE: 50,
                h.UNIT_COST_AFTER: 40,
            },
            (None, None, D("10.00"), None, None),
        ),
    ],
    ids=["5.1", "5.2", "5.2-but-formula-2-given", "5.1-ignores-unit-cost"],
)
def test_product_value_cases(cells: dict[str, object], expected: tuple[object, ...]) -> None:
    """Formula 5.1 fills product value; 5.2 fills the cost columns only when formula 2 is blank."""
    values = compute_row(cells)
    assert expected == (
        values[h.COST_REDUCTION_PCT],
        values[h.COST_REDUCTION_BAHT],
        values[h.PRODUCT_VALUE_PCT],
        values[h.PRODUCT_VALUE_BAHT],
        values[h.ECONOMIC_VALUE],
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # income alone is not in the economic value: it would count sales twice.
        ({h.INCOME_BEFORE: 100, h.INCOME_AFTER: 200}, None),
        # sales (200 − 100) × 12 = 1200; income is left out.
        ({h.SALES_BEFORE: 100, h.SALES_AFTER: 200, h.INCOME_BEFORE: 1, h.INCOME_AFTER: 9}, D(1200)),
        # waste (500 − 300) × 12 = 2400 plus cost (1000 − 1100) × 12 = −1200 → 1200.
        (
            {
                h.WASTE_VALUE_BEFORE: 500,
                h.WASTE_VALUE_AFTER: 300,
                h.COST_BEFORE: 1000,
                h.COST_AFTER: 1100,
            },
            D(1200),
        ),
        # carbon has no baht value.
        ({h.CARBON_BEFORE: 10, h.CARBON_AFTER: 5}, None),
    ],
)
def test_economic_value_composition(cells: dict[str, object], expected: D | None) -> None:
    """The economic value adds waste, cost, sales and product value per year, not income."""
    assert expected == compute_row(cells)[h.ECONOMIC_VALUE]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # sales (110 − 100) ÷ 100 × 100 = 10.00 exactly: the edge counts.
        ({h.SALES_BEFORE: 100, h.SALES_AFTER: 110}, h.YES),
        # (109.99 − 100) ÷ 100 × 100 = 9.99: below.
        ({h.SALES_BEFORE: 100, h.SALES_AFTER: "109.99"}, h.NO),
        # cost (100 − 90) ÷ 100 × 100 = 10.00.
        ({h.COST_BEFORE: 100, h.COST_AFTER: 90}, h.YES),
        # waste 10 % → 9 %: (10 − 9) ÷ 10 × 100 = 10.00.
        (
            {h.WASTE_BEFORE: 10, h.PRODUCED_BEFORE: 100, h.WASTE_AFTER: 9, h.PRODUCED_AFTER: 100},
            h.YES,
        ),
        # income and product value do not make the flag, whatever they are.
        ({h.INCOME_BEFORE: 100, h.INCOME_AFTER: 500}, None),
        ({h.PRICE_BEFORE: 100, h.PRICE_AFTER: 500}, None),
        # income 400 % but sales only 5 %: not improved.
        (
            {h.INCOME_BEFORE: 100, h.INCOME_AFTER: 500, h.SALES_BEFORE: 100, h.SALES_AFTER: 105},
            h.NO,
        ),
        # a zero base is not computable.
        ({h.SALES_BEFORE: 0, h.SALES_AFTER: 105}, None),
    ],
)
def test_productivity_flag(cells: dict[str, object], expected: str | None) -> None:
    """The flag says ใช่ at 10.00 % or more of waste, cost or sales, ไม่ใช่ below, blank if none."""
    assert expected == compute_row(cells)[h.PRODUCTIVITY_FLAG]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # 9 × 4 = 36; 36 ÷ 45 × 100 = 80.00.
        (["4"] * 9, D("80.00")),
        # 4 × 8 + 3 = 35; 35 ÷ 45 × 100 = 77.777… → 77.78.
        ([4] * 8 + [3.0], D("77.78")),
        ([5] * 8 + [None], None),
        ([5] * 8 + ["6"], None),
    ],
)
def test_satisfaction(scores: list[object], expected: D | None) -> None:
    """Satisfaction is the nine scores' sum ÷ 45 × 100, blank unless all nine are valid."""
    cells = dict(zip(h.SATISFACTION_ITEMS, scores, strict=True))
    assert expected == compute_row(cells)[h.SATISFACTION_PCT]


FIGURES = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0.005"), Decimal("-0.005"), Decimal("1E+30"), Decimal("9.995")]),
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(FIGURES, min_size=15, max_size=15), st.sampled_from([None, True, False]))
def test_kpi_cells_are_the_formulas_results_rounded_half_up(
    figures: list[Decimal | None], improved: bool | None
) -> None:
    """Each numeric cell is `round_half_up` of its result (huge ones too), in block order."""
    assert h.KPI_HEADERS[-1] == h.PRODUCTIVITY_FLAG
    changes = RowChanges(
        *(Change(figures[i], figures[i + 1]) for i in range(0, 10, 2)),
        Change(figures[10]),
        figures[11],
        figures[12],
        improved,
    )
    values = evaluate_row({}, changes=changes).values
    assert list(values) == list(h.KPI_HEADERS)
    expected = [round_half_up(f) for f in figures[:13]]
    assert [repr(v) for v in list(values.values())[:13]] == [repr(v) for v in expected]
    assert values[h.PRODUCTIVITY_FLAG] == (
        None if improved is None else h.YES if improved else h.NO
    )


def test_kpi_result_fields_in_the_order_evaluate_row_passes_them() -> None:
    """`evaluate_row` builds its result positionally (once per row): values, then figures."""
    assert [f.name for f in msgspec.structs.fields(KpiResult)] == ["values", "figures"]


def test_without_typed_results_the_figures_are_the_computed_cells() -> None:
    """A parse without any typed result: the figures are the KPI cells, the same (immutable)
    object, kept once per row."""
    result = evaluate_row({}, parsed={h.REMARK: "x", h.COST_BEFORE: D(100), h.COST_AFTER: D(80)})
    assert result.figures is result.values
    with pytest.raises(TypeError):
        result.values[h.COST_REDUCTION_PCT] = D(0)  # type: ignore[index]
    assert D("20.00") == result.figures[h.COST_REDUCTION_PCT]


def test_kpi_cells_read_as_the_dict_of_the_same_cells() -> None:
    """`KpiCells` (a tuple behind a mapping) answers every read a dict of the cells answers."""
    values = evaluate_row({}, parsed={h.COST_BEFORE: D(100), h.COST_AFTER: D(80)}).values
    assert isinstance(values, KpiCells)
    plain = dict(values)
    assert list(plain) == list(h.KPI_HEADERS)
    assert plain[h.COST_REDUCTION_PCT] == D("20.00") and plain[h.WASTE_REDUCTION_PCT] is None
    assert values == plain and plain == values
    assert values != {**plain, h.COST_REDUCTION_PCT: D(21)}
    assert values.get("not a KPI") is None and values.get("not a KPI", 0) == 0
    with pytest.raises(KeyError):
        values["not a KPI"]
    assert h.SATISFACTION_PCT in values and "not a KPI" not in values
    assert len(values) == len(h.KPI_HEADERS)
    with pytest.raises(TypeError):
        hash(values)  # equal to a dict, so unhashable like one
    copied = pickle.loads(pickle.dumps(values))
    assert copied == values and type(copied) is KpiCells


def test_rows_evaluated_with_one_shared_dict_hold_each_equal_result_once() -> None:
    """
    Equal results of different rows are one object (a run keeps every row's cells), the same
    values as without the dict; a zero is its own, so a cost that rose by a hair stays -0.00.
    """
    rose = {h.COST_BEFORE: 1_000_000_000, h.COST_AFTER: 1_000_000_001, h.SALES_BEFORE: 100}
    fell = {h.COST_BEFORE: 1_000_000_000, h.COST_AFTER: 999_999_999, h.SALES_BEFORE: 100}
    rows = [FULL_ROW, rose, fell, dict(FULL_ROW), rose]
    shared: dict[str, Decimal] = {}
    results = [evaluate_row(cells, shared=shared) for cells in rows]
    alone = [evaluate_row(cells) for cells in rows]
    assert [repr(r.values.cells) for r in results] == [repr(r.values.cells) for r in alone]
    assert [r.values[h.COST_REDUCTION_PCT] for r in results[1:3]] == [D("-0.00"), D("0.00")]
    assert str(results[1].values[h.COST_REDUCTION_PCT]) == "-0.00"
    assert str(results[4].values[h.COST_REDUCTION_PCT]) == "-0.00"
    for header in h.KPI_HEADERS[:-1]:
        value = results[0].values[header]
        assert value is None or value is results[3].values[header]
    assert results[1].values[h.COST_REDUCTION_BAHT] is results[4].values[h.COST_REDUCTION_BAHT]
    assert alone[0].values[h.COST_REDUCTION_PCT] is not alone[3].values[h.COST_REDUCTION_PCT]
