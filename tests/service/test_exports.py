"""The service package's public surface is one sorted list of names that all exist."""

from __future__ import annotations

import sync.service


def test_all_is_sorted_and_complete() -> None:
    """`__all__` is sorted and names exactly the public attributes imported into the package."""
    for name in sync.service.__all__:  # exported lazily: each is imported on first use
        getattr(sync.service, name)
    public = {
        name
        for name, value in vars(sync.service).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("sync.service")
    }
    assert sorted(sync.service.__all__) == sync.service.__all__
    assert public == set(sync.service.__all__)
