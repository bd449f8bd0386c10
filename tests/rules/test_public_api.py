"""
The package's public surface.
"""

from __future__ import annotations

import rules


def test_all_is_the_public_api() -> None:
    """`rules.__all__` is exactly the intended public names, in isort order."""
    expected = [
        "TEMPLATE",
        "Column",
        "DuplicateCandidate",
        "DuplicateMark",
        "Finding",
        "HeaderMap",
        "Kind",
        "RowRef",
        "RowResult",
        "Severity",
        "Template",
        "check_row",
        "is_blank",
        "map_headers",
        "mask_pii",
        "parse_number",
        "resolve_duplicates",
        "status_for",
    ]
    assert expected == rules.__all__
    assert all(hasattr(rules, name) for name in expected)
