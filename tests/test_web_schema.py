"""The JSON API against its own OpenAPI schema, with schemathesis-generated requests.

Every operation gets a bounded number of generated requests (valid and invalid parameters and
bodies); each response must have a documented status code, match its documented schema and
never be a server error.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import APIOperation, BaseSchema, Case
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.result import Ok

from rashomon.nlp import Embedder, TextParser
from web_helpers import build_corpus

# the operations of an OpenAPI schema, as schemathesis itself gives them (unparametrised)
Operation = APIOperation[Any, Any, Any, Any]


@pytest.fixture(scope="module")
def api_schema(
    tmp_path_factory: pytest.TempPathFactory, parser: TextParser, embedder: Embedder
) -> BaseSchema:
    from rashomon.settings import Settings
    from rashomon.web.app import create_app

    db = build_corpus(
        tmp_path_factory.mktemp("schema") / "corpus.db", parser=parser, embedder=embedder
    )
    app = create_app(db, settings=Settings())
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _fuzz(operation: Operation) -> None:
    """Bounded generated requests to one operation, each checked against the schema."""
    # a schema-valid compare body may still hold fewer than two usable texts (blank ones, say):
    # that 422 is documented, so only that operation may reject valid-looking data
    excluded = [positive_data_acceptance] if operation.path == "/api/compare" else []

    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def check(case: Case[Operation]) -> None:
        case.call_and_validate(excluded_checks=excluded)

    check()


# schemathesis' own pytest fixture support does not run under pytest 9, so each operation's
# strategy is drawn here, with the checks `case.call_and_validate` runs.
def test_every_api_answer_follows_the_schema(api_schema: BaseSchema) -> None:
    operations: list[Operation] = []
    for result in api_schema.get_all_operations():
        assert isinstance(result, Ok), result.err()  # an operation the schema cannot describe
        operations.append(result.ok())
    assert len(operations) >= 6
    for operation in operations:
        _fuzz(operation)


def test_the_schema_documents_every_api_route(api_schema: BaseSchema) -> None:
    paths = set(api_schema.raw_schema["paths"])
    wanted = {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/comparison",
        "/api/outlets",
        "/api/compare",
    }
    assert wanted <= paths
    assert any(p.startswith("/api/outlets/{") for p in paths)
    assert all(p.startswith("/api/") for p in paths), "pages must not be API operations"
