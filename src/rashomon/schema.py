"""The ``rashomon/comparison@1`` JSON format: write, read, validate, and export its JSON Schema.

The JSON Schema is generated from the dataclasses in :mod:`rashomon.models`, so the format cannot
drift from the data model; ``schemas/comparison@1.json`` is that output, committed and checked by a
test. Regenerate it with ``python -m rashomon.schema > schemas/comparison@1.json``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import jsonschema

from rashomon._version import __version__
from rashomon.errors import SchemaError
from rashomon.models import Comparison

SCHEMA_ID = "rashomon/comparison@1"
_JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_PRIMITIVES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
_MAX_ERROR_LINES = 20


def to_dict(c: Comparison) -> dict[str, object]:
    """Return the comparison as plain JSON data, ``"schema"`` first; tuples become lists."""
    fields = _encode(c)
    assert isinstance(fields, dict)
    header: dict[str, object] = {
        "schema": SCHEMA_ID,
        "generator": {"name": "rashomon", "version": __version__},
    }
    return header | fields


def to_json(c: Comparison, *, indent: int | None = 2) -> str:
    """Serialize a comparison; the same comparison always gives the same text.

    Raises:
        ValueError: a float field holds NaN or infinity, which JSON cannot represent.
    """
    return json.dumps(to_dict(c), indent=indent, ensure_ascii=False, allow_nan=False)


def from_dict(d: Mapping[str, object], *, where: str = "<dict>") -> Comparison:
    """Check ``d`` against the schema and build the Comparison it describes.

    Args:
        d: JSON data as produced by :func:`to_dict`.
        where: file name or other origin, used in error messages.

    Raises:
        SchemaError: the version is missing or unknown, or the data does not match the schema.
    """
    if not isinstance(d, Mapping):
        raise SchemaError(
            f'{where}: expected a JSON object with "schema": "{SCHEMA_ID}", got {type(d).__name__}'
        )
    _check_version(d, where)
    _validate(d, where)
    comparison = _decode(Comparison, d)
    assert isinstance(comparison, Comparison)
    return comparison


def from_json(text: str, *, where: str = "<string>") -> Comparison:
    """Parse a ``rashomon/comparison@1`` JSON document.

    Raises:
        SchemaError: the text is not JSON, or :func:`from_dict` refuses it.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SchemaError(
            f"{where}:{err.lineno}: not valid JSON ({err.msg} at column {err.colno}). "
            "Give a file written by `rashomon compare --format json`"
        ) from err
    return from_dict(data, where=where)


def json_schema() -> dict[str, object]:
    """Return the JSON Schema (draft 2020-12) of the format, generated from the dataclasses."""
    defs: dict[str, dict[str, object]] = {}
    root = _object_schema(Comparison, defs)
    properties = typing.cast(dict[str, object], root["properties"])
    root["properties"] = {
        "schema": {"const": SCHEMA_ID},
        "generator": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "version": {"type": "string"}},
            "required": ["name", "version"],
            "additionalProperties": False,
        },
    } | properties
    root["required"] = ["schema", *typing.cast(list[str], root["required"])]
    header: dict[str, object] = {"$schema": _JSON_SCHEMA_DIALECT, "title": SCHEMA_ID}
    return header | root | {"$defs": dict(sorted(defs.items()))}


def _check_version(d: Mapping[str, object], where: str) -> None:
    version = d.get("schema")
    if version is None:
        raise SchemaError(
            f'{where}: no "schema" field, so the format version is unknown. '
            f'A comparison file starts with "schema": "{SCHEMA_ID}"'
        )
    if version != SCHEMA_ID:
        raise SchemaError(
            f"{where}: unknown schema version {version!r}; this rashomon {__version__} reads "
            f"{SCHEMA_ID!r}. Upgrade rashomon, or re-run `rashomon compare` to write this version"
        )


def _validate(d: Mapping[str, object], where: str) -> None:
    validator = jsonschema.Draft202012Validator(_cached_json_schema())
    errors = sorted(validator.iter_errors(d), key=lambda e: (_path_key(e.path), e.message))
    if not errors:
        return
    lines = [f"[{' -> '.join(str(p) for p in e.path) or 'top level'}] {e.message}" for e in errors]
    if len(lines) > _MAX_ERROR_LINES:
        lines = [*lines[:_MAX_ERROR_LINES], f"... and {len(lines) - _MAX_ERROR_LINES} more"]
    raise SchemaError(
        f"{where}: does not match {SCHEMA_ID} ({len(errors)} problem(s)):\n" + "\n".join(lines)
    )


def _path_key(path: Iterable[object]) -> list[tuple[int, int, str]]:
    # list indexes sort as numbers (2 before 10), keys as text
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path]


@functools.cache
def _cached_json_schema() -> dict[str, object]:
    return json_schema()


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _object_schema(cls: type, defs: dict[str, dict[str, object]]) -> dict[str, object]:
    hints = _hints(cls)
    properties: dict[str, object] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        properties[f.name] = _type_schema(hints[f.name], defs)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
    schema: dict[str, object] = {"type": "object"}
    doc = cls.__doc__ or ""
    # dataclass() invents a docstring like "Fact(*, id: str, ...)" for undocumented classes
    if doc and not doc.startswith(f"{cls.__name__}("):
        schema["description"] = " ".join(doc.split())
    return schema | {"properties": properties, "required": required, "additionalProperties": False}


def _type_schema(tp: Any, defs: dict[str, dict[str, object]]) -> dict[str, object]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp in _PRIMITIVES:
        return {"type": _PRIMITIVES[tp]}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # placeholder first, in case a record ever refers to itself
            defs[tp.__name__] = _object_schema(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if origin is Literal:
        kinds = {_PRIMITIVES[type(a)] for a in args}
        return (
            {"type": kinds.pop(), "enum": list(args)} if len(kinds) == 1 else {"enum": list(args)}
        )
    if origin in (types.UnionType, typing.Union):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1 or len(args) != 2:
            raise TypeError(f"only `X | None` unions are supported, got {tp!r}")
        inner = _type_schema(options[0], defs)
        if set(inner) == {"type"} and isinstance(inner["type"], str):
            return {"type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _type_schema(args[0], defs)}
        return {
            "type": "array",
            "prefixItems": [_type_schema(a, defs) for a in args],
            "items": False,
            "minItems": len(args),
        }
    raise TypeError(f"no JSON Schema mapping for type {tp!r}; extend rashomon.schema._type_schema")


def _encode(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _decode(tp: Any, value: Any) -> object:
    """Build a value of type ``tp`` from JSON data that already passed schema validation."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = _hints(tp)
        kwargs = {
            f.name: _decode(hints[f.name], value[f.name])
            for f in dataclasses.fields(tp)
            if f.name in value
        }
        return tp(**kwargs)
    if origin in (types.UnionType, typing.Union):
        return (
            None if value is None else _decode(next(a for a in args if a is not type(None)), value)
        )
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if tp is float:
        return float(value)  # JSON writes 1.0 as 1.0, but a hand-written file may say 1
    if tp is int:
        return int(value)  # JSON Schema counts 3.0 as an integer
    return value


def _main() -> None:
    sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    _main()
