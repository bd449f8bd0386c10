"""
Field masks, for the ``fields`` response parameter and the ``fields`` of update requests.

Syntax per https://developers.google.com/sheets/api/guides/field-masks: comma-separated paths with
``.`` (or ``/``) separators, ``a(b,c)`` grouping, and ``*`` for everything.  A mask is parsed into a
tree of dicts where an empty dict means "this whole value".
"""

from __future__ import annotations

import copy
import re
from typing import Any

from sheets_emulator.model.errors import invalid_argument

Mask = dict[str, Any]


_SNAKE = re.compile(r"(?<=[a-z0-9])_([a-z0-9])")
"""`grid_properties`: "Field names can be specified in camelCase or separated_by_underscores"
(the Sheets field-mask guide); the masks are matched as camelCase."""


def parse_mask(text: str) -> Mask:
    """
    Parse a field mask into a tree; raises a 400 on unbalanced parentheses.
    """
    text = _SNAKE.sub(lambda m: m[1].upper(), text)
    tree: Mask = {}
    pos = _parse_list(text.replace(" ", ""), 0, tree)
    if pos != len(text.replace(" ", "")):
        raise invalid_argument(f"Invalid field selection {text}")
    return tree


def _parse_list(text: str, pos: int, tree: Mask) -> int:
    while pos < len(text):
        pos = _parse_path(text, pos, tree)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return pos


def _parse_path(text: str, pos: int, tree: Mask) -> int:
    start = pos
    while pos < len(text) and text[pos] not in ".,/()":
        pos += 1
    name = text[start:pos]
    if not name:
        raise invalid_argument(f"Invalid field selection {text}")
    node = tree.setdefault(name, {})
    had_children = bool(node)
    if pos < len(text) and text[pos] in "./":
        child: Mask = {} if not had_children and name in tree and not node else node
        pos = _parse_path(text, pos + 1, child)
        tree[name] = child
        return pos
    if pos < len(text) and text[pos] == "(":
        pos = _parse_list(text, pos + 1, node)
        if pos >= len(text) or text[pos] != ")":
            raise invalid_argument(f"Invalid field selection {text}")
        return pos + 1
    tree[name] = {}  # a bare leaf selects everything below it
    return pos


def apply_mask(value: Any, mask: Mask) -> Any:
    """
    Keep only the masked paths of a JSON value (lists are filtered element by element).
    """
    if not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [apply_mask(v, mask) for v in value]
    if not isinstance(value, dict):
        return value
    return {k: apply_mask(value[k], sub) for k, sub in mask.items() if k in value}


def merge_masked(target: dict[str, Any], source: dict[str, Any], mask: Mask) -> dict[str, Any]:
    """
    Return ``target`` with every masked path replaced by ``source``'s value (or removed if absent).
    """
    out = dict(target)
    if "*" in mask:
        return copy_json(source)
    for key, sub in mask.items():
        if not sub:
            if key in source and source[key] is not None:
                out[key] = copy_json(source[key])
            else:
                out.pop(key, None)
            continue
        inner_target = out.get(key) if isinstance(out.get(key), dict) else {}
        inner_source = source.get(key) if isinstance(source.get(key), dict) else {}
        merged = merge_masked(inner_target or {}, inner_source or {}, sub)
        if merged:
            out[key] = merged
        else:
            out.pop(key, None)
    return out


def copy_json(value: Any) -> Any:
    """
    Deep-copy a parsed JSON value: only dicts and lists are copied, strings and numbers are shared.

    ``copy.deepcopy`` gives the same result but pays for its memo and dispatch on every scalar.
    """
    kind = type(value)
    if kind is dict:
        return {k: copy_json(v) for k, v in value.items()}
    if kind is list:
        return [copy_json(v) for v in value]
    if kind in _SCALARS:
        return value
    return copy.deepcopy(value)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def mask_paths(mask: Mask, prefix: str = "") -> list[str]:
    """
    List the leaf paths of a mask as dotted strings, to validate them against known fields.
    """
    paths: list[str] = []
    for key, sub in mask.items():
        path = f"{prefix}.{key}" if prefix else key
        paths.extend(mask_paths(sub, path) if sub else [path])
    return paths
