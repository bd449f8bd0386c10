"""
A plan's cell changes are held as columns (`CellChanges`), and read back as the list of
`CellChange`s they stand for: in order, each tab's name as given, every value as it was.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sync.core.cells import Formula
from sync.core.diff import CellChange, CellChanges, cells_of, group_blocks, value_writes

CHANGES = st.lists(
    st.builds(
        CellChange,
        st.sampled_from(["ศก.1", "ศก.2", "สรุปผล", "รายชื่อ"]),
        st.integers(1, 20_000),
        st.integers(0, 200),
        st.one_of(
            st.none(),
            st.text(max_size=5),
            st.integers(-(2**60), 2**60),
            st.booleans(),
            st.decimals(allow_nan=False, allow_infinity=False, places=2),
            st.builds(Formula, st.just("=1+1")),
        ),
    ),
    max_size=60,
)


@given(CHANGES, CHANGES)
def test_cell_changes_read_back_as_the_changes_added(
    first: list[CellChange], then: list[CellChange]
) -> None:
    """Added one by one, by row and from another, they are the list of both, in order."""
    changes = CellChanges(first)
    other = CellChanges()
    for change in then:
        other.add_row(change.tab, change.row, [change.col], [change.value])
    changes.extend(other)
    expected = [*first, *then]
    assert changes == expected and list(changes) == expected and len(changes) == len(expected)
    assert [changes[i] for i in range(-len(expected), len(expected))] == expected * 2
    assert changes[1:-1] == expected[1:-1]
    assert list(changes.cells()) == [(c.tab, c.row, c.col, c.value) for c in expected]
    assert list(cells_of(changes)) == list(cells_of(expected))
    assert all(type(a.value) is type(b.value) for a, b in zip(changes, expected, strict=True))
    keep = {(c.tab, c.col) for c in expected[::3]}
    assert changes.where(keep) == [c for c in expected if (c.tab, c.col) in keep]
    assert changes.where(keep, outside=True) == [c for c in expected if (c.tab, c.col) not in keep]
    # Whole tabs kept (a plan's regional tabs, by anchor), of what `where` and `extend` made:
    whole = {(c.tab, c.col) for c in expected if c.tab in ("ศก.1", "สรุปผล")}
    for part in (changes, changes.where(keep), changes.where(keep, outside=True)):
        cells = list(part)
        assert part.where(whole) == [c for c in cells if (c.tab, c.col) in whole]
        assert part.where(whole, outside=True) == [c for c in cells if (c.tab, c.col) not in whole]
        joined = CellChanges(first)
        joined.extend(part.where(whole))
        joined.extend(part.where(keep, outside=True))
        wanted = [c for c in cells if (c.tab, c.col) in whole]
        wanted += [c for c in cells if (c.tab, c.col) not in keep]
        assert joined.where(keep | whole) == [
            c for c in [*first, *wanted] if (c.tab, c.col) in keep | whole
        ]


@given(CHANGES)
def test_what_a_write_makes_of_them_is_what_it_makes_of_the_list(changes: list[CellChange]) -> None:
    """The blocks and the column writes built from them are those built from the list."""
    held = CellChanges(changes)
    assert group_blocks(held) == group_blocks(changes)
    anchors = {(c.tab, c.col): f"a{c.col}" for c in changes}
    assert value_writes(held, anchors) == value_writes(changes, anchors)


def test_a_row_added_at_once_is_its_cells_in_order() -> None:
    """`add_row` takes a row's columns and values as they come (no object a cell)."""
    changes = CellChanges()
    changes.add("ศก.1", 5, 40, "ผ่าน")
    changes.add_row("ศก.1", 6, [40, 42, 43], ["ผ่าน", Decimal("12.50"), None])
    changes.append(CellChange("สรุปผล", 2, 1, False))
    assert changes == [
        CellChange("ศก.1", 5, 40, "ผ่าน"),
        CellChange("ศก.1", 6, 40, "ผ่าน"),
        CellChange("ศก.1", 6, 42, Decimal("12.50")),
        CellChange("ศก.1", 6, 43, None),
        CellChange("สรุปผล", 2, 1, False),
    ]
    assert changes != [CellChange("ศก.1", 5, 40, "ผ่าน")]
    changes.add_row("ศก.2", 7, [], [])  # (a row with nothing to write: its tab is not touched)
    touched = [changes.touches(t) for t in ("ศก.1", "สรุปผล", "ศก.2", "ศก.3")]
    assert touched == [True, True, False, False]
