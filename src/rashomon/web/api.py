"""The JSON API under ``/api/``; the HTML pages call the same functions.

Response models are pydantic, so ``/openapi.json`` documents every field; the comparison itself
is the ``rashomon/comparison@1`` JSON, documented by its own JSON Schema.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from rashomon.corpus.profiles import OutletProfile
from rashomon.corpus.store import Store, StoryPage, StoryRecord
from rashomon.errors import NotEnoughArticlesError
from rashomon.models import Comparison
from rashomon.web.inputs import Upload, read_compare_inputs
from rashomon.web.state import Limits, StoryComparison, WebState

MAX_PER_PAGE = 200
MAX_INPUTS = Limits().max_inputs
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_PAGE = 1_000_000  # page * per_page stays far inside SQLite's 64-bit OFFSET
# says whether a story's comparison is up to date (ready) or being updated (updating)
STATUS_HEADER = "X-Rashomon-Comparison"
RETRY_AFTER_S = 5  # a story not compared yet: when to ask again

router = APIRouter(prefix="/api", tags=["api"])


class ErrorDetail(BaseModel):
    detail: str = Field(description="What went wrong and, where it helps, how to fix it.")


class StoryItem(BaseModel):
    id: str
    title: str | None
    first_date: str | None
    last_date: str | None
    articles: int = Field(description="Member articles.")
    distinct: int = Field(description="Member articles, each group of near-duplicates once.")
    outlets: list[str]


class StoryList(BaseModel):
    items: list[StoryItem]
    page: int
    per_page: int
    total: int = Field(description="Stories matching the filters, on all pages.")


class MemberItem(BaseModel):
    id: str
    outlet: str
    title: str | None
    date: str | None
    url: str | None


class StoryDetail(StoryItem):
    members: list[MemberItem]


class NameCount(BaseModel):
    name: str
    count: int


class OutletProfileItem(BaseModel):
    outlet: str
    articles: int
    stories: int
    blindspots: int = Field(description="Stories most other outlets covered and this one did not.")
    blindspot_share: float
    wire_copies: int = Field(description="Its articles that copy another article's text.")
    wire_share: float
    facts_alone: int = Field(description="Facts only this outlet reports, in compared stories.")
    facts_omitted: int
    conflicts: int
    top_speakers: list[NameCount]
    top_sources: list[NameCount]


class ComparisonPending(BaseModel):
    status: Literal["pending"] = Field(
        description="The story has never been compared: its comparison is being computed."
    )
    detail: str


class OutletDetail(BaseModel):
    profile: OutletProfileItem
    stories: StoryList


def _unicode_text(value: str) -> str:
    """Refuse lone surrogates (``\\ud800`` in JSON): they are not text and cannot be encoded."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError(
            f"holds a lone surrogate ({value[err.start]!a}) at character {err.start}, "
            "which is not text; send valid Unicode"
        ) from None
    return value


UnicodeText = Annotated[str, AfterValidator(_unicode_text)]


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    texts: list[UnicodeText] = Field(
        default=[], max_length=MAX_INPUTS, description="Article texts (a title line first helps)."
    )
    urls: list[UnicodeText] = Field(
        default=[], max_length=MAX_INPUTS, description="http(s) URLs of articles to fetch."
    )


# --- functions the pages share ----------------------------------------------------------------


def web_state(request: Request) -> WebState:
    state = request.app.state.rashomon
    assert isinstance(state, WebState)
    return state


def story_item(record: StoryRecord) -> StoryItem:
    return StoryItem.model_validate(record.row())


def story_list(
    store: Store,
    *,
    q: str | None,
    outlet: str | None,
    since: dt.date | None,
    until: dt.date | None,
    page: int,
    per_page: int,
) -> StoryList:
    found: StoryPage = store.search_stories(
        query=q,
        outlet=outlet,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    return StoryList(
        items=[story_item(r) for r in found.items], page=page, per_page=per_page, total=found.total
    )


def story_detail(store: Store, story_id: str) -> StoryDetail:
    """Raises HTTPException 404 for an unknown story."""
    record = store.get_story(story_id)
    if record is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    members = [MemberItem(**dataclasses.asdict(m)) for m in store.story_members(story_id)]
    return StoryDetail(**story_item(record).model_dump(), members=members)


def story_comparison(state: WebState, store: Store, story_id: str) -> StoryComparison:
    """The story's comparison as it is now (never computed in the request).

    Raises:
        HTTPException: 404 for an unknown story, 409 for a story of one article, 500 when it
            could not be compared and there is no earlier comparison to show.
    """
    story_detail(store, story_id)  # 404 first
    try:
        found = state.story_comparison(store, story_id)
    except NotEnoughArticlesError as err:
        raise HTTPException(409, str(err)) from err
    if found.status == "failed" and found.comparison is None:
        raise HTTPException(500, f"story {story_id} could not be compared: {found.error}")
    return found


def pending_message(story_id: str) -> str:
    return (
        f"story {story_id} is not compared yet: its comparison is being computed; "
        f"try again in {RETRY_AFTER_S} seconds"
    )


def profiles(state: WebState, store: Store) -> list[OutletProfileItem]:
    return [_profile_item(p) for p in state.profiles(store)]


def _profile_item(p: OutletProfile) -> OutletProfileItem:
    fields = dataclasses.asdict(p)
    fields["top_speakers"] = [NameCount(name=n, count=c) for n, c in p.top_speakers]
    fields["top_sources"] = [NameCount(name=n, count=c) for n, c in p.top_sources]
    return OutletProfileItem(**fields)


def profile_of(state: WebState, store: Store, name: str) -> OutletProfileItem:
    """Raises HTTPException 404 for an outlet with no story."""
    for profile in profiles(state, store):
        if profile.outlet == name:
            return profile
    raise HTTPException(404, f"no outlet named {name!r} in this corpus")


def compare_texts(
    state: WebState,
    *,
    texts: list[str],
    urls: list[str],
    uploads: list[tuple[str, bytes]],
    outlets: Sequence[str] = (),
) -> Comparison:
    """Compare what a "compare now" request sent; rejected inputs become warnings.
    ``outlets[n]`` (optional) names the outlet of ``texts[n]``.

    Raises:
        HTTPException: 503 when ``Limits.max_compares`` requests are being compared already.
    """
    if not state.compare_slots.acquire(blocking=False):
        raise HTTPException(
            503,
            f"the server is busy with {state.limits.max_compares} other comparisons; "
            "try again in a minute",
            headers={"Retry-After": "30"},
        )
    try:
        return _compare_texts(state, texts=texts, urls=urls, uploads=uploads, outlets=outlets)
    finally:
        state.compare_slots.release()


def _compare_texts(
    state: WebState,
    *,
    texts: list[str],
    urls: list[str],
    uploads: list[tuple[str, bytes]],
    outlets: Sequence[str],
) -> Comparison:
    read = read_compare_inputs(
        texts=texts,
        outlets=outlets,
        uploads=[Upload(name=n, data=d) for n, d in uploads],
        urls=urls,
        settings=state.settings,
        max_inputs=state.limits.max_inputs,
        max_file_bytes=state.limits.max_file_bytes,
        allow_private_urls=state.allow_private_urls,
    )
    comparison = state.compare_articles(read.articles)
    if read.rejected:
        warnings = (*comparison.warnings, *(str(e) for e in read.rejected))
        comparison = dataclasses.replace(comparison, warnings=warnings)
    return comparison


# --- routes -----------------------------------------------------------------------------------


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic alone would also read ``0`` as 1970-01-01."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("use a date written YYYY-MM-DD")
    return value


Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number.")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Stories per page.")]
# FastAPI's own type for extra responses in the OpenAPI schema
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"model": ErrorDetail, "description": "Not found."}}
INVALID: Responses = {422: {"model": ErrorDetail, "description": "Invalid parameters."}}
COMPARISON_RESPONSE: Responses = {
    200: {
        "description": "The comparison (rashomon/comparison@1).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Comparison"}}},
    }
}


@router.get("/stories", response_model=StoryList, responses={**INVALID})
def api_stories(
    request: Request,
    q: Annotated[
        str | None, Query(max_length=500, description="Words in a title, outlet or name.")
    ] = None,
    outlet: Annotated[str | None, Query(max_length=500)] = None,
    since: Annotated[
        dt.date | None,
        BeforeValidator(_iso_date),
        Query(description="Active on or after (YYYY-MM-DD)."),
    ] = None,
    until: Annotated[
        dt.date | None,
        BeforeValidator(_iso_date),
        Query(description="Active on or before (YYYY-MM-DD)."),
    ] = None,
    page: Page = 1,
    per_page: PerPage = 50,
) -> StoryList:
    """Stories of the corpus, newest first, filtered and paginated."""
    with web_state(request).store() as store:
        return story_list(
            store, q=q, outlet=outlet, since=since, until=until, page=page, per_page=per_page
        )


@router.get("/stories/{story_id}", response_model=StoryDetail, responses={**NOT_FOUND, **INVALID})
def api_story(request: Request, story_id: str) -> StoryDetail:
    """One story and its member articles (without their text)."""
    with web_state(request).store() as store:
        return story_detail(store, story_id)


@router.get(
    "/stories/{story_id}/comparison",
    response_class=Response,
    responses={
        200: {
            **COMPARISON_RESPONSE[200],
            "description": "The comparison (rashomon/comparison@1). The X-Rashomon-Comparison "
            "header says `ready` (made from the story's current members) or `updating` (the "
            "last complete comparison: members joined since, the new one is being computed).",
        },
        202: {
            "model": ComparisonPending,
            "description": "Not compared yet: it is being computed in the background; ask "
            "again after Retry-After seconds. No request ever waits for the models.",
        },
        **NOT_FOUND,
        409: {"model": ErrorDetail, "description": "The story has one article only (yet)."},
        500: {"model": ErrorDetail, "description": "The story could not be compared."},
    },
)
def api_story_comparison(request: Request, story_id: str) -> Response:
    """The comparison of a story, as cached in the corpus (computed in the background)."""
    state = web_state(request)
    with state.store() as store:
        found = story_comparison(state, store, story_id)
    if found.comparison is None:
        return JSONResponse(
            {"status": "pending", "detail": pending_message(story_id)},
            status_code=202,
            headers={"Retry-After": str(RETRY_AFTER_S), STATUS_HEADER: "pending"},
        )
    return Response(
        found.comparison.to_json(indent=None),
        media_type="application/json",
        headers={STATUS_HEADER: found.status},
    )


@router.get("/outlets", response_model=list[OutletProfileItem])
def api_outlets(request: Request) -> list[OutletProfileItem]:
    """A profile of every outlet: coverage, blindspots, wire copy, facts alone, quotes."""
    state = web_state(request)
    with state.store() as store:
        return profiles(state, store)


@router.get("/outlets/{name:path}", response_model=OutletDetail, responses={**NOT_FOUND, **INVALID})
def api_outlet(request: Request, name: str, page: Page = 1, per_page: PerPage = 50) -> OutletDetail:
    """One outlet's profile and a page of its stories."""
    state = web_state(request)
    with state.store() as store:
        profile = profile_of(state, store, name)
        stories = story_list(
            store, q=None, outlet=name, since=None, until=None, page=page, per_page=per_page
        )
    return OutletDetail(profile=profile, stories=stories)


@router.post(
    "/compare",
    response_class=Response,
    responses={
        **COMPARISON_RESPONSE,
        400: {"model": ErrorDetail, "description": "The body cannot be read (not UTF-8 JSON)."},
        403: {"model": ErrorDetail, "description": "Sent from a page of another site."},
        413: {"model": ErrorDetail, "description": "A text or the request is too large."},
        422: {"model": ErrorDetail, "description": "Too many or fewer than two usable inputs."},
        503: {"model": ErrorDetail, "description": "Busy with other comparisons; try later."},
    },
)
def api_compare(request: Request, body: CompareRequest) -> Response:
    """Compare two or more texts and URLs now (nothing is stored)."""
    comparison = compare_texts(web_state(request), texts=body.texts, urls=body.urls, uploads=[])
    return Response(comparison.to_json(indent=None), media_type="application/json")
