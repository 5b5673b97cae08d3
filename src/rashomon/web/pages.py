"""The HTML pages: stories, one story side by side, outlets, "compare now", downloads, docs."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from urllib.parse import unquote_to_bytes, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from rashomon.errors import (
    InputError,
    NotEnoughArticlesError,
    TooLargeError,
    TooManyInputsError,
)
from rashomon.models import Comparison
from rashomon.report.html import ReportParts, render_html, report_parts
from rashomon.report.index import article_labels
from rashomon.report.markdown import render_markdown
from rashomon.web.api import (
    ISO_DATE,
    MAX_PAGE,
    RETRY_AFTER_S,
    STATUS_HEADER,
    StoryDetail,
    StoryList,
    pending_message,
    profile_of,
    profiles,
    story_comparison,
    story_detail,
    story_list,
    web_state,
)
from rashomon.web.api import compare_texts as run_compare_now
from rashomon.web.inputs import MAX_OUTLET_CHARS
from rashomon.web.state import StoryComparison
from rashomon.web.templating import templates

MAX_STRIP_OUTLETS = 40  # the coverage strip shows every outlet up to this many
DOWNLOADS = {"json": "application/json", "md": "text/markdown", "html": "text/html"}

router = APIRouter(include_in_schema=False)


def _page(name: str, status: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(templates.get_template(name).render(**context), status_code=status)


def _day(value: str | None, name: str) -> dt.date | None:
    """A date from a form field, written YYYY-MM-DD as the API wants it; empty: no filter."""
    if not value:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a date; use YYYY-MM-DD") from None


def _no_such_page(found: StoryList) -> None:
    """404 for a page past the last one (the first page always exists, even when empty)."""
    if found.page > 1 and not found.items:
        pages = (found.total + found.per_page - 1) // found.per_page
        raise HTTPException(
            404,
            f"there is no page {found.page}: the list has {pages} page{'s' if pages != 1 else ''}",
        )


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/stories", status_code=302)


@router.get("/stories")
def stories_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    outlet: Annotated[str, Query(max_length=500)] = "",
    since: str = "",
    until: str = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    since_day, until_day = _day(since, "since"), _day(until, "until")
    state = web_state(request)
    with state.store() as store:
        found = story_list(
            store,
            q=q.strip() or None,
            outlet=outlet or None,
            since=since_day,
            until=until_day,
            page=page,
            per_page=state.page_size,
        )
        all_outlets = state.outlet_names(store)
    _no_such_page(found)
    filters = {"q": q, "outlet": outlet, "since": since, "until": until}
    return _page(
        "stories.html",
        found=found,
        filters=filters,
        filtered=any(filters.values()),
        outlets=all_outlets,
        strip=all_outlets if len(all_outlets) <= MAX_STRIP_OUTLETS else None,
        prev_url=_page_url("/stories", filters, page - 1) if page > 1 else None,
        next_url=_page_url("/stories", filters, page + 1) if _has_next(found) else None,
    )


def _has_next(found: StoryList) -> bool:
    return found.page * found.per_page < found.total


def _page_url(path: str, filters: dict[str, str], page: int) -> str:
    query = {k: v for k, v in filters.items() if v}
    if page > 1:
        query["page"] = str(page)
    return path + ("?" + urlencode(query) if query else "")


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> HTMLResponse:
    state = web_state(request)
    with state.store() as store:
        detail = story_detail(store, story_id)
        try:
            found = state.story_comparison(store, story_id)
        except NotEnoughArticlesError:
            return _page("single.html", story=detail)
    if found.comparison is None:
        if found.status == "failed":
            raise HTTPException(500, f"story {story_id} could not be compared: {found.error}")
        return _pending_page(detail)
    base = f"/stories/{story_id}/comparison"
    page = _comparison_page(
        found.comparison,
        state.report_parts(found.comparison),
        downloads=base,
        story=detail,
        status=found,
    )
    page.headers[STATUS_HEADER] = found.status
    return page


def _pending_page(story: StoryDetail) -> HTMLResponse:
    """202: the story has never been compared; the page reloads itself until it is."""
    page = _page(
        "pending.html",
        status=202,
        story=story,
        refresh_s=RETRY_AFTER_S,
        message=pending_message(story.id),
    )
    page.headers["Retry-After"] = str(RETRY_AFTER_S)
    page.headers[STATUS_HEADER] = "pending"
    return page


def _comparison_page(
    comparison: Comparison,
    parts: ReportParts,
    *,
    downloads: str,
    story: StoryDetail | None = None,
    status: StoryComparison | None = None,
) -> HTMLResponse:
    labels = article_labels(comparison)
    return _page(
        "comparison.html",
        title=Markup(parts.title),
        header=Markup(parts.header),
        nav=Markup(parts.nav),
        body=Markup(parts.body),
        data=Markup(parts.data),
        columns=[labels[a.id] for a in comparison.articles],
        downloads=downloads,
        story=story,
        comparison_status=status,
    )


@router.get("/stories/{story_id}/comparison.{fmt}")
def story_download(request: Request, story_id: str, fmt: str) -> Response:
    state = web_state(request)
    if fmt not in DOWNLOADS:
        raise HTTPException(404, f"no download in the format {fmt!r}; use json, md or html")
    with state.store() as store:
        found = story_comparison(state, store, story_id)  # 404, 409 as the API answers
        detail = story_detail(store, story_id) if found.comparison is None else None
    if detail is not None:
        return _pending_page(detail)
    assert found.comparison is not None
    response = _download(found.comparison, fmt, f"story-{story_id}")
    response.headers[STATUS_HEADER] = found.status
    return response


def _download(comparison: Comparison, fmt: str, stem: str) -> Response:
    if fmt == "json":
        text = comparison.to_json() + "\n"
    elif fmt == "md":
        text = render_markdown(comparison)
    else:
        text = render_html(comparison)
    safe_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)[:80] or "comparison"
    return Response(
        text,
        media_type=DOWNLOADS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{safe_stem}.{fmt}"'},
    )


@router.get("/outlets")
def outlets_page(request: Request) -> HTMLResponse:
    state = web_state(request)
    with state.store() as store:
        found = profiles(state, store)
    return _page("outlets.html", profiles=found)


@router.get("/outlets/{name:path}")
def outlet_page(
    request: Request, name: str, page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1
) -> HTMLResponse:
    state = web_state(request)
    with state.store() as store:
        profile = profile_of(state, store, name)
        chart = state.coverage_chart(store, name)
        found = story_list(
            store,
            q=None,
            outlet=name,
            since=None,
            until=None,
            page=page,
            per_page=web_state(request).page_size,
        )
    _no_such_page(found)
    return _page(
        "outlet.html",
        profile=profile,
        found=found,
        strip=None,
        chart=chart,
        prev_url=f"?page={page - 1}" if page > 1 else None,
        next_url=f"?page={page + 1}" if _has_next(found) else None,
    )


# --- compare now ------------------------------------------------------------------------------


@router.get("/compare")
def compare_form(request: Request) -> HTMLResponse:
    limits = web_state(request).limits
    return _page("compare.html", limits=limits, max_outlet_chars=MAX_OUTLET_CHARS)


@router.post("/compare")
async def compare_submit(request: Request) -> HTMLResponse:
    state = web_state(request)
    limits = state.limits
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        # starlette decodes percent-escapes that are not UTF-8 (a lone surrogate such as
        # %ED%A0%80) to U+FFFD without a word: refuse them, as the JSON API does
        check_form_text(await request.body())
    try:
        form = await request.form(
            max_files=limits.max_inputs,
            max_fields=limits.max_inputs + 10,
            max_part_size=limits.max_file_bytes,
        )
    except StarletteHTTPException as err:  # starlette turns form parsing problems into 400
        detail = str(err.detail)
        if "exceeded maximum size" in detail:
            raise TooLargeError("compare", detail, "Send smaller texts or files") from err
        if "Too many" in detail:
            raise TooManyInputsError("compare", detail, "Send fewer texts or files") from err
        raise
    texts = [v for v in form.getlist("text") if isinstance(v, str)]
    # one "outlet" field per "text" field, in the same order (blank: no name given)
    outlets = [v if isinstance(v, str) else "" for v in form.getlist("outlet")]
    urls = [line for v in form.getlist("urls") if isinstance(v, str) for line in v.splitlines()]
    uploads = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and (item.filename or item.size):
            data = await item.read(limits.max_file_bytes + 1)
            uploads.append((item.filename or "", data))
    await form.close()

    def compare_and_render() -> HTMLResponse:
        comparison = run_compare_now(
            state, texts=texts, urls=urls, uploads=uploads, outlets=outlets
        )
        key = state.adhoc.add(comparison)
        return _comparison_page(
            comparison, report_parts(comparison), downloads=f"/compare/{key}/comparison"
        )

    # the fetches, the models and the rendering run in a worker thread, so the server keeps
    # answering other requests
    return await run_in_threadpool(compare_and_render)


def check_form_text(body: bytes) -> None:
    """Refuse a urlencoded form whose fields are not UTF-8 text once unescaped.

    Raises:
        InputError: a field holds a lone surrogate or bytes that are not UTF-8 (422).
    """
    for pair in body.split(b"&"):
        name, _, value = pair.partition(b"=")
        for part, raw in (("name", name), ("value", value)):
            data = unquote_to_bytes(raw.replace(b"+", b" "))
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as err:
                field = name.decode("ascii", errors="replace")[:40]
                try:
                    data.decode("utf-8", errors="surrogatepass")
                    what = "a lone surrogate, which is not text"
                except UnicodeDecodeError:
                    what = "bytes that are not UTF-8 text"
                raise InputError(
                    "compare",
                    f"the {part} of form field {field!r} holds {what} at byte {err.start}",
                    "Send valid Unicode",
                ) from None


@router.get("/compare/{key}/comparison.{fmt}")
def compare_download(request: Request, key: str, fmt: str) -> Response:
    if fmt not in DOWNLOADS:
        raise HTTPException(404, f"no download in the format {fmt!r}; use json, md or html")
    comparison = web_state(request).adhoc.get(key)
    if comparison is None:
        raise HTTPException(
            404, "this comparison is no longer kept in memory; run the comparison again"
        )
    return _download(comparison, fmt, f"comparison-{key}")


# --- API docs that work offline ---------------------------------------------------------------


@router.get("/docs")
def docs_page(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": op.get("parameters", []),
                    "responses": sorted(op.get("responses", {})),
                }
            )
    return _page("docs.html", operations=operations, title=schema["info"]["title"])
