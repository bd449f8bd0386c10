"""
Google's published schema of Sheets v4, compiled once, refusing the requests Google refuses.

Google parses a request body into its protocol buffer before anything else happens, so an
unknown field name, a value of the wrong type or an enum value it does not know is a 400
``INVALID_ARGUMENT`` naming the field, with a ``google.rpc.BadRequest`` detail listing every
violation — even when the range in the path is also wrong. The schema is Google's own
discovery document (``discovery/sheets.v4.json``, see ``discovery/NOTICE``); nothing here is
hand-written but the wording of the errors, which follows Google's (recorded in gspread's
cassettes: ``Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue),
"X"``). Paths use the proto's snake_case names, as Google's messages do.

The document is compiled at import into plain nodes, so checking a request is one walk over
its JSON with dictionary look-ups, no schema interpretation per request. Answers can be walked
through the same nodes (``check_response``), which is how the tests hold the emulator's own
answers to the schema.

Known approximations: the body of ``values.update`` and ``values.append`` is the proto field
``data`` (recorded for update, assumed for append) and that of ``spreadsheets.create`` is
``spreadsheet``; every other body is the request message itself. Messages for a dict or a
list where the schema wants something else follow protobuf's JSON parser, not a recording.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sheets_emulator.api.fields import parse_mask
from sheets_emulator.model.errors import ApiError

__all__ = [
    "SCHEMA",
    "Schema",
    "Violation",
    "body_error",
    "fields_error",
    "method_id",
    "query_error",
]

_TYPE_URL = "type.googleapis.com/google.apps.sheets.v4."
_PAYLOAD = "Invalid JSON payload received. "
_INT32 = (-(2**31), 2**31 - 1)
_INT_TEXT = re.compile(r"^-?\d+$")
_NO_TYPES: frozenset[type] = frozenset()
# Enum fields whose proto enum is not named after the field (the rest are, e.g.
# valueInputOption -> ValueInputOption), as Google names them in its messages; a key
# "Message.field" applies to that message only.
_ENUM_TYPES = {
    "BooleanCondition.type": "ConditionType",
    "majorDimension": "Dimension",
    "dimension": "Dimension",
    "responseValueRenderOption": "ValueRenderOption",
    "responseDateTimeRenderOption": "DateTimeRenderOption",
}
# The proto field that carries the HTTP body, where it is not the whole request message.
_BODY_FIELD = {
    "sheets.spreadsheets.values.update": "data",
    "sheets.spreadsheets.values.append": "data",
    "sheets.spreadsheets.create": "spreadsheet",
}


@dataclass(frozen=True, slots=True)
class Violation:
    """
    One field Google would refuse: its snake_case path ("" for the root) and Google's message.
    """

    field: str
    description: str


@dataclass(slots=True)
class _Node:
    """
    A compiled schema node: ``kind`` is message, array, map, string, int, number, bool, enum
    or any.
    """

    kind: str
    type_name: str = ""
    message: _Message | None = None
    item: _Node | None = None
    enum: frozenset[str] = frozenset()
    enum_size: int = 0
    types: frozenset[type] = frozenset()
    """Python types that are always right for a scalar (the walk's fast path)."""

    def __post_init__(self) -> None:
        fast: dict[str, frozenset[type]] = {
            "string": frozenset({str}),
            "bool": frozenset({bool}),
            "number": frozenset({int, float}),
            "any": frozenset({str, int, float, bool, dict, list}),
        }
        self.types = fast.get(self.kind, frozenset())


@dataclass(slots=True)
class _Message:
    """
    A compiled message: JSON name -> (snake_case name, node).
    """

    name: str
    fields: dict[str, tuple[str, _Node]] = field(default_factory=dict)
    flat: dict[str, frozenset[type]] = field(default_factory=dict)
    """JSON name -> the Python types always right for it (scalars only), for ``_flat_ok``."""
    nested_flat: dict[str, dict[str, frozenset[type]]] = field(default_factory=dict)
    """JSON name of a message field -> that message's ``flat`` (for ``_walk_elements``)."""


@dataclass(frozen=True, slots=True)
class _Method:
    """
    A compiled API method: its body's message and proto field, and its query parameters.
    """

    request: _Message | None
    body_field: str
    response: _Message | None
    parameters: dict[str, _Node]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _path(parts: tuple[Any, ...] | None) -> str:
    """
    Materialise a linked path ``(parent, segment)`` only when a violation needs it.
    """
    segments: list[str] = []
    while parts is not None:
        parts, segment = parts
        segments.append(segment)
    out = ""
    for segment in reversed(segments):
        if type(segment) is int:
            out += f"[{segment}]"
        elif segment.startswith("["):
            out += segment
        else:
            out += ("." if out else "") + segment
    return out


def _show(value: Any) -> str:
    # Google quotes the offending value as JSON: "X", 1.5, true.
    if isinstance(value, (dict, list)):
        return "{…}" if isinstance(value, dict) else "[…]"
    return json.dumps(value, ensure_ascii=False)


class Schema:
    """
    The compiled discovery document: checks bodies and query parameters of every method.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.revision = str(document.get("revision", ""))
        schemas: Mapping[str, Any] = document["schemas"]
        self.messages: dict[str, _Message] = {name: _Message(name) for name in schemas}
        for name, spec in schemas.items():
            message = self.messages[name]
            for json_name, prop in (spec.get("properties") or {}).items():
                node = self._node(prop, json_name, owner=name)
                message.fields[json_name] = (_snake(json_name), node)
                if node.types:
                    message.flat[json_name] = node.types
        for message in self.messages.values():
            for json_name, (_, node) in message.fields.items():
                if node.kind == "message" and node.message is not None:
                    message.nested_flat[json_name] = node.message.flat
        self.global_parameters = {
            name: self._node(p, name) for name, p in (document.get("parameters") or {}).items()
        }
        self.methods: dict[str, _Method] = {}
        for method in _methods(document):
            params = {
                name: self._node(p, name)
                for name, p in (method.get("parameters") or {}).items()
                if p.get("location") == "query"
            }
            request = (method.get("request") or {}).get("$ref")
            response = (method.get("response") or {}).get("$ref")
            self.methods[method["id"]] = _Method(
                self.messages.get(request) if request else None,
                _BODY_FIELD.get(method["id"], ""),
                self.messages.get(response) if response else None,
                {**self.global_parameters, **params},
            )

    def _node(self, prop: Mapping[str, Any], json_name: str, owner: str = "") -> _Node:
        if "$ref" in prop:
            return _Node("message", _TYPE_URL + prop["$ref"], self.messages[prop["$ref"]])
        kind = prop.get("type")
        if kind == "array":
            return _Node("array", item=self._node(prop["items"], json_name, owner))
        if kind == "object" and "additionalProperties" in prop:
            return _Node("map", item=self._node(prop["additionalProperties"], json_name))
        if "enum" in prop:
            enum_name = _ENUM_TYPES.get(
                f"{owner}.{json_name}",
                _ENUM_TYPES.get(json_name, json_name[:1].upper() + json_name[1:]),
            )
            values = [str(v) for v in prop["enum"]]
            return _Node(
                "enum", _TYPE_URL + enum_name, enum=frozenset(values), enum_size=len(values)
            )
        if kind == "integer":
            return _Node("int", "TYPE_INT32" if prop.get("format") != "int64" else "TYPE_INT64")
        if kind == "number":
            return _Node("number", "TYPE_FLOAT" if prop.get("format") == "float" else "TYPE_DOUBLE")
        if kind == "boolean":
            return _Node("bool", "TYPE_BOOL")
        if kind == "string":
            return _Node("string", "TYPE_STRING")
        return _Node("any")

    # -- requests ----------------------------------------------------------------------------

    def check_body(self, method_id: str, body: Any, *, limit: int = 20) -> list[Violation]:
        """
        Return what Google would refuse in a request body of ``method_id`` (at most ``limit``).
        """
        method = self.methods.get(method_id)
        if method is None or method.request is None or body is None:
            return []
        out: list[Violation] = []
        root = (None, method.body_field) if method.body_field else None
        if not isinstance(body, dict):
            out.append(_invalid(root, _TYPE_URL + method.request.name, body))
        else:
            _walk_message(body, method.request, root, out, limit)
        return out

    def check_query(self, method_id: str, query: Mapping[str, Sequence[str]]) -> list[Violation]:
        """
        Return what Google would refuse among the query parameters of ``method_id``.
        """
        method = self.methods.get(method_id)
        if method is None:
            return []
        out: list[Violation] = []
        for name, values in query.items():
            node = method.parameters.get(name)
            if node is None:
                out.append(
                    Violation(
                        "",
                        f'{_PAYLOAD}Unknown name "{name}": Cannot bind query parameter. '
                        f"Field '{name}' could not be found in request message.",
                    )
                )
                continue
            leaf = node.item if node.kind == "array" and node.item is not None else node
            for text in values:
                if not _query_value_ok(leaf, text):
                    out.append(_invalid((None, _snake(name)), leaf.type_name, text))
        return out

    # -- answers -----------------------------------------------------------------------------

    def check_response(self, method_id: str, body: Any, *, limit: int = 20) -> list[Violation]:
        """
        Return the fields of an answer that its method's response schema does not allow.
        """
        method = self.methods.get(method_id)
        if method is None or method.response is None or not isinstance(body, dict):
            return []
        out: list[Violation] = []
        _walk_message(body, method.response, None, out, limit)
        return out

    def unknown_fields(self, method_id: str, mask: Mapping[str, Any]) -> list[str]:
        """
        Return the paths of a parsed ``fields`` mask (``fields.parse_mask``) that name nothing
        in the method's response (a typo, or a name with a space in it).
        """
        method = self.methods.get(method_id)
        if method is None or method.response is None:
            return []
        return _unknown_paths(method.response, mask, "")


def _unknown_paths(message: _Message, mask: Mapping[str, Any], prefix: str) -> list[str]:
    out: list[str] = []
    for name, sub in mask.items():
        if name == "*":
            continue
        entry = message.fields.get(name)
        if entry is None:
            out.append(prefix + name)
            continue
        node = entry[1]
        while node.kind in ("array", "map") and node.item is not None:
            node = node.item
        if not sub:
            continue
        if node.kind == "message" and node.message is not None:
            out += _unknown_paths(node.message, sub, f"{prefix}{name}.")
        elif node.kind != "any":
            out.append(f"{prefix}{name}.{next(iter(sub))}")
    return out


def _methods(document: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    yield from (document.get("methods") or {}).values()
    for resource in (document.get("resources") or {}).values():
        yield from _methods(resource)


def _invalid(path: tuple[Any, ...] | None, type_name: str, value: Any) -> Violation:
    where = _path(path)
    return Violation(where, f"Invalid value at '{where}' ({type_name}), {_show(value)}")


def _unknown(path: tuple[Any, ...] | None, name: str, reason: str) -> Violation:
    where = _path(path)
    at = f" at '{where}'" if where else ""
    return Violation(where, f'{_PAYLOAD}Unknown name "{name}"{at}: {reason}')


def _walk_message(
    body: dict[str, Any],
    message: _Message,
    path: tuple[Any, ...] | None,
    out: list[Violation],
    limit: int,
) -> None:
    """
    Check one JSON object against a message; the common right cases never leave this loop.

    Request bodies can hold a hundred thousand cells, so the usual cases (a scalar of the right
    type, a nested object of scalars such as an ExtendedValue, a list of objects) are tested
    inline; anything else goes to ``_walk``, which also words the violation.
    """
    fields = message.fields
    for name, value in body.items():
        found = fields.get(name)
        if found is None:
            if value is None:
                continue  # JSON null reads as "not set", as elsewhere in the emulator
            out.append(_unknown(path, name, "Cannot find field."))
            if len(out) >= limit:
                return
            continue
        snake, node = found
        vtype = type(value)
        if vtype in node.types or value is None:
            continue
        kind = node.kind
        if kind == "message" and vtype is dict:
            sub = node.message
            assert sub is not None
            if not _flat_ok(value, sub.flat):
                _walk_message(value, sub, (path, snake), out, limit)
        elif kind == "array" and vtype is list and node.item is not None and node.item.message:
            _walk_elements(value, node.item, (path, snake), name, path, out, limit)
        elif not _simple_ok(node, kind, vtype, value):
            _walk(value, node, (path, snake), name, path, out, limit)
        if len(out) >= limit:
            return


def _walk_elements(
    elements: list[Any],
    item: _Node,
    here: tuple[Any, ...],
    name: str,
    parent: tuple[Any, ...] | None,
    out: list[Violation],
    limit: int,
) -> None:
    """
    Check a list of messages, such as a row's cells, without a call for the usual element.

    An element whose fields are all right scalars, or objects of right scalars (a CellData
    holding an ExtendedValue), is passed inline; any other goes to ``_walk_message``.
    """
    sub = item.message
    assert sub is not None
    flat = sub.flat
    nested = sub.nested_flat
    for i, element in enumerate(elements):
        if type(element) is dict:
            for key, value in element.items():
                if type(value) in flat.get(key, _NO_TYPES):
                    continue
                inner = nested.get(key)
                if inner is None or type(value) is not dict:
                    break
                for inner_key, inner_value in value.items():
                    if type(inner_value) not in inner.get(inner_key, _NO_TYPES):
                        break
                else:
                    continue
                break
            else:
                continue
            _walk_message(element, sub, (here, i), out, limit)
        elif element is not None:
            _walk(element, item, (here, i), name, parent, out, limit)
        if len(out) >= limit:
            return


def _flat_ok(body: dict[str, Any], flat: dict[str, frozenset[type]]) -> bool:
    """
    Tell, without a call per field, that every field of ``body`` is a scalar of a right type.
    """
    for name, value in body.items():  # noqa: SIM110 - a generator costs a call per field
        if type(value) not in flat.get(name, _NO_TYPES):
            return False
    return True


def _simple_ok(node: _Node, kind: str, vtype: type, value: Any) -> bool:
    """
    Tell that an enum or int32 value is plainly right (the rare other cases go to ``_walk``).
    """
    if kind == "enum":
        return vtype is str and value in node.enum
    return kind == "int" and vtype is int and _INT32[0] <= value <= _INT32[1]


def _walk(
    value: Any,
    node: _Node,
    path: tuple[Any, ...],
    name: str,
    parent: tuple[Any, ...] | None,
    out: list[Violation],
    limit: int,
) -> None:
    kind = node.kind
    if kind == "message":
        if type(value) is dict:
            _walk_message(value, node.message, path, out, limit)  # type: ignore[arg-type]
        elif isinstance(value, list):
            out.append(_unknown(parent, name, "Proto field is not repeating, cannot start list."))
        else:
            out.append(_invalid(path, node.type_name, value))
    elif kind == "array":
        item = node.item
        assert item is not None
        if not isinstance(value, list):
            # As recorded for ValueRange.values = "X": the element's type is named.
            element_type = item.type_name or "type.googleapis.com/google.protobuf.ListValue"
            out.append(_invalid(path, element_type, value))
            return
        if item.kind == "any":
            return
        if item.kind == "array" and item.item is not None and item.item.kind == "any":
            # ValueRange.values: a list of rows, each a ListValue of any JSON values.
            for i, row in enumerate(value):
                if not isinstance(row, list) and row is not None:
                    out.append(
                        _invalid(
                            (path, f"[{i}]"), "type.googleapis.com/google.protobuf.ListValue", row
                        )
                    )
                    if len(out) >= limit:
                        return
            return
        for i, element in enumerate(value):
            if element is None:
                continue
            if isinstance(element, list):
                out.append(
                    _unknown(parent, name, "Proto field is not repeating, cannot start list.")
                )
            else:
                _walk(element, item, (path, f"[{i}]"), name, parent, out, limit)
            if len(out) >= limit:
                return
    elif kind == "map":
        if type(value) is not dict:
            out.append(_invalid(path, "TYPE_MESSAGE", value))
            return
        item = node.item
        assert item is not None
        for key, element in value.items():
            if element is not None:
                _walk(element, item, (path, f"[{key}]"), name, parent, out, limit)
    elif not _scalar_ok(node, value):
        if isinstance(value, list):
            out.append(_unknown(parent, name, "Proto field is not repeating, cannot start list."))
        elif isinstance(value, dict):
            out.append(_unknown(parent, name, "Starting an object on a scalar field"))
        else:
            out.append(_invalid(path, node.type_name, value))


def _scalar_ok(node: _Node, value: Any) -> bool:
    kind = node.kind
    vtype = type(value)
    if kind == "string":
        return vtype is str
    if kind == "int":
        if vtype is int:
            number = value
        elif (vtype is float and value.is_integer()) or (vtype is str and _INT_TEXT.match(value)):
            number = int(value)
        else:
            return False
        return node.type_name == "TYPE_INT64" or _INT32[0] <= number <= _INT32[1]
    if kind == "number":
        if vtype is int or vtype is float:
            return True
        if vtype is str:
            if value in ("NaN", "Infinity", "-Infinity"):
                return True
            try:
                return math.isfinite(float(value))
            except ValueError:
                return False
        return False
    if kind == "bool":
        return vtype is bool
    if kind == "enum":
        if vtype is str:
            return value in node.enum
        return vtype is int and 0 <= value < node.enum_size
    return True  # any


def _query_value_ok(node: _Node, text: str) -> bool:
    kind = node.kind
    if kind == "bool":
        return text.lower() in ("true", "false", "1", "0")
    if kind == "int":
        return bool(_INT_TEXT.match(text)) and _scalar_ok(node, int(text))
    if kind == "number":
        return _scalar_ok(node, text)
    if kind == "enum":
        return text in node.enum
    return True


def method_id(kind: str) -> str:
    """
    Map the emulator's request kind (``values.update``, see ``faults.classify``) to Google's id.
    """
    if kind.startswith("spreadsheets."):
        return "sheets." + kind
    return "sheets.spreadsheets." + kind


def _load() -> Schema:
    text = (
        resources.files("sheets_emulator.api")
        .joinpath("discovery/sheets.v4.json")
        .read_text("utf-8")
    )
    return Schema(json.loads(text))


SCHEMA = _load()


def _error(violations: list[Violation]) -> ApiError:
    return ApiError(
        400,
        "\n".join(v.description for v in violations),
        "INVALID_ARGUMENT",
        field_violations=[(v.field, v.description) for v in violations],
    )


def body_error(method_id: str, body: Any) -> ApiError | None:
    """
    Return Google's 400 for a request body that does not match the schema, else None.
    """
    violations = SCHEMA.check_body(method_id, body)
    return _error(violations) if violations else None


def fields_error(method_id: str, query: Mapping[str, Sequence[str]]) -> ApiError | None:
    """
    Return Google's 400 for a ``fields`` mask naming something the answer does not have
    (`fields=properties, sheets.properties` included: Sheets does not take the space, a
    third party's record of Google's answer, as is the message).
    """
    for text in query.get("fields", ()):
        try:
            mask = parse_mask(text)
        except ApiError:
            return _invalid_argument()
        if any(ch.isspace() for ch in text) or SCHEMA.unknown_fields(method_id, mask):
            return _invalid_argument()
    return None


def _invalid_argument() -> ApiError:
    return ApiError(400, "Request contains an invalid argument.", "INVALID_ARGUMENT")


def query_error(method_id: str, query: Mapping[str, Sequence[str]]) -> ApiError | None:
    """
    Return Google's 400 for query parameters the method does not have or cannot parse.
    """
    violations = SCHEMA.check_query(method_id, query)
    return _error(violations) if violations else None
