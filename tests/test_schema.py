from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_comparison
from rashomon import models
from rashomon.errors import SchemaError
from rashomon.models import Article, Comparison
from rashomon.schema import SCHEMA_ID, from_dict, from_json, json_schema, to_dict, to_json

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "comparison@1.json"


def strategy_for(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for any type used in models.py, read from the type hints like schema.py does."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        fields = {f.name: strategy_for(hints[f.name]) for f in dataclasses.fields(tp)}
        return st.builds(tp, **fields)
    if origin is Literal:
        return st.sampled_from(args)
    if origin is types.UnionType:
        (inner,) = (a for a in args if a is not type(None))
        return st.none() | strategy_for(inner)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(strategy_for(args[0]), max_size=2).map(tuple)
    if origin is tuple:
        return st.tuples(*(strategy_for(a) for a in args))
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: st.text(max_size=8),
        int: st.integers(),
        float: st.floats(allow_nan=False, allow_infinity=False),
        bool: st.booleans(),
    }
    return simple[tp]


def test_to_dict_starts_with_schema_and_keeps_nulls() -> None:
    data = to_dict(make_comparison())
    assert list(data)[:2] == ["schema", "generator"]
    assert data["schema"] == "rashomon/comparison@1"
    article = data["articles"][0]  # type: ignore[index]
    assert article["author"] == "Ida Park"
    radio = data["articles"][2]  # type: ignore[index]
    assert radio["author"] is None
    difference = data["alignments"][0]["differences"][0]  # type: ignore[index]
    assert difference == {
        "kind": "replace",
        "source": "Protesters",
        "target": "Rioters",
        "source_span": [0, 10],
        "target_span": [0, 7],
    }


def test_round_trip_of_the_factory_comparison() -> None:
    c = make_comparison(payload="<é>\u2028\"'")
    assert from_json(to_json(c)) == c
    assert from_json(to_json(c, indent=None)) == c


def test_to_json_is_deterministic_and_keeps_non_ascii() -> None:
    c = make_comparison(payload="é")
    text = to_json(c)
    assert text == to_json(from_json(text))
    assert text == make_comparison(payload="é").to_json()
    assert "Harbor Timesé" in text


def test_to_json_refuses_nan() -> None:
    c = make_comparison()
    bad = dataclasses.replace(
        c, alignments=(dataclasses.replace(c.alignments[0], score=float("nan")),)
    )
    with pytest.raises(ValueError, match="not JSON compliant"):
        to_json(bad)


def test_missing_schema_version_is_refused_naming_the_file() -> None:
    data = to_dict(make_comparison())
    del data["schema"]
    with pytest.raises(SchemaError) as info:
        from_json(json.dumps(data), where="story.json")
    assert str(info.value) == (
        '[R130] story.json: no "schema" field, so the format version is unknown. '
        'A comparison file starts with "schema": "rashomon/comparison@1"'
    )


def test_unknown_schema_version_is_refused_naming_file_and_version() -> None:
    data = to_dict(make_comparison()) | {"schema": "rashomon/comparison@2"}
    with pytest.raises(SchemaError) as info:
        from_json(json.dumps(data), where="story.json")
    assert str(info.value) == (
        "[R130] story.json: unknown schema version 'rashomon/comparison@2'; this rashomon "
        "0.1.0 reads 'rashomon/comparison@1'. Upgrade rashomon, or re-run `rashomon compare` "
        "to write this version"
    )


def test_schema_errors_become_path_lines() -> None:
    data = to_dict(make_comparison())
    articles: list[dict[str, object]] = data["articles"]  # type: ignore[assignment]
    del articles[0]["id"]
    articles[1]["sentences"][0]["start"] = "zero"  # type: ignore[index]
    data["colour"] = "red"
    with pytest.raises(SchemaError) as info:
        from_dict(data, where="bad.json")
    assert str(info.value).splitlines() == [
        "[R130] bad.json: does not match rashomon/comparison@1 (3 problem(s)):",
        "[top level] Additional properties are not allowed ('colour' was unexpected)",
        "[articles -> 0] 'id' is a required property",
        "[articles -> 1 -> sentences -> 0 -> start] 'zero' is not of type 'integer'",
    ]


def test_literal_values_are_checked() -> None:
    data = to_dict(make_comparison())
    data["facts"][0]["status"] = "maybe"  # type: ignore[index]
    with pytest.raises(SchemaError, match=r"\[facts -> 0 -> status\] 'maybe' is not one of"):
        from_dict(data)


def test_invalid_json_names_file_and_line() -> None:
    with pytest.raises(SchemaError, match=r"^\[R130\] c\.json:2: not valid JSON"):
        from_json('{"schema":\n nope}', where="c.json")


def test_non_object_is_refused() -> None:
    with pytest.raises(SchemaError, match=r"x\.json: expected a JSON object"):
        from_json("[1, 2]", where="x.json")


def test_hand_written_numbers_get_their_model_types() -> None:
    data = to_dict(make_comparison())
    data["alignments"][1]["score"] = 1  # type: ignore[index]
    data["articles"][0]["sentences"][0]["start"] = 0.0  # type: ignore[index]
    c = from_dict(data)
    assert type(c.alignments[1].score) is float
    assert type(c.articles[0].sentences[0].start) is int


def test_optional_fields_may_be_left_out() -> None:
    c = from_dict(
        {"schema": SCHEMA_ID, "articles": [{"id": "a", "text": "Hi.", "outlet": "Daily"}]}
    )
    assert c == Comparison(articles=(Article(id="a", text="Hi.", outlet="Daily"),))


def test_committed_schema_file_matches_the_models() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "schemas/comparison@1.json is stale: run "
        "`python -m rashomon.schema > schemas/comparison@1.json` and commit it"
    )


def test_json_schema_follows_the_type_hints() -> None:
    schema = json_schema()
    defs: dict[str, Any] = schema["$defs"]  # type: ignore[assignment]
    assert schema["required"] == ["schema", "articles"]
    assert defs["Difference"]["properties"]["source_span"] == {
        "anyOf": [
            {
                "type": "array",
                "prefixItems": [{"type": "integer"}, {"type": "integer"}],
                "items": False,
                "minItems": 2,
            },
            {"type": "null"},
        ]
    }
    assert defs["Difference"]["properties"]["kind"] == {
        "type": "string",
        "enum": ["replace", "insert", "delete"],
    }
    assert defs["Article"]["properties"]["title"] == {"type": ["string", "null"]}
    assert defs["Article"]["required"] == ["id", "text", "outlet"]
    assert defs["Speaker"]["required"] == ["name", "entity", "mention"]
    assert defs["Alignment"]["properties"]["score"] == {"type": "number"}
    assert all(d["additionalProperties"] is False for d in defs.values())
    records = {
        name
        for name, obj in vars(models).items()
        if dataclasses.is_dataclass(obj) and name != "Comparison"
    }
    assert set(defs) == records


@settings(max_examples=150, deadline=None)
@given(strategy_for(Comparison))
def test_from_json_inverts_to_json(c: Comparison) -> None:
    assert from_json(to_json(c)) == c
    assert from_dict(to_dict(c)) == c
