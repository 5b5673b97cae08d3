"""The web app of ``rashomon serve``: a FastAPI application over one corpus file.

Pages (``pages.py``) and the JSON API (``api.py``) call the same functions. This module builds
the app and its safety net: security headers on every response, a request-size limit enforced
while the body streams in, and error pages (HTML for browsers, ``{"detail": ...}`` under
``/api/``) that never show a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rashomon._version import __version__
from rashomon.corpus.store import open_store
from rashomon.errors import (
    ConfigError,
    CorpusUnavailableError,
    InputError,
    ModelMissingError,
    NotEnoughArticlesError,
    RashomonError,
    TooLargeError,
)
from rashomon.report.html import REPORT_CSS, REPORT_SCRIPT
from rashomon.schema import json_schema
from rashomon.settings import Settings
from rashomon.web import api, pages
from rashomon.web.comparer import Compute
from rashomon.web.state import Limits, WebState
from rashomon.web.templating import templates

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
STATUS_TITLES = {
    400: "Bad request",
    403: "Refused",
    404: "Not found",
    405: "Method not allowed",
    409: "Nothing to compare",
    413: "Too large",
    422: "Cannot use this input",
    500: "Something went wrong",
    503: "Busy",
}


def create_app(
    db_path: str | Path,
    *,
    settings: Settings,
    allow_private_urls: bool = False,
    limits: Limits | None = None,
    allowed_hosts: Sequence[str] | None = None,
    page_size: int = 50,
    background_comparisons: bool = True,
    compute: Compute | None = None,
) -> FastAPI:
    """The web app over the corpus file ``db_path`` (created and migrated if needed).

    Args:
        allow_private_urls: let "compare now" fetch URLs of private and loopback addresses.
        allowed_hosts: Host header values to accept (a guard against DNS rebinding when the
            server listens on a loopback address); None accepts any.
        background_comparisons: compare the stories that need it in a background thread
            (from start-up on); False: nothing computes them, pages say "not compared yet".
        compute: how that thread compares a story (default: ``pipeline.compare_story``).
    """
    with open_store(db_path):  # apply pending migrations once, before any request
        pass
    state = WebState(
        db_path=Path(db_path),
        settings=settings,
        allow_private_urls=allow_private_urls,
        limits=limits or Limits(),
        page_size=page_size,
        background=background_comparisons,
        compute=compute,
    )
    app = FastAPI(
        title="rashomon",
        version=__version__,
        summary="How news outlets tell the same story: stories, comparisons, outlet profiles.",
        docs_url=None,  # the default Swagger UI loads from a CDN; /docs is a local page instead
        redoc_url=None,
    )
    app.state.rashomon = state
    app.router.add_event_handler("startup", state.start)
    app.router.add_event_handler("shutdown", state.close)
    app.include_router(api.router)
    app.include_router(pages.router)
    _static_routes(app)
    _error_handlers(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, max_bytes=state.limits.max_request_bytes)
    app.add_middleware(SameOrigin)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(OneHost)
    app.add_middleware(SecurityHeaders)
    return app


def _static_routes(app: FastAPI) -> None:
    # The report's stylesheet and script are served from report/html.py, so the story page and
    # the standalone report never drift apart.
    @app.get("/static/report.css", include_in_schema=False)
    def report_css() -> Response:
        return Response(REPORT_CSS, media_type="text/css")

    @app.get("/static/report.js", include_in_schema=False)
    def report_js() -> Response:
        return Response(REPORT_SCRIPT, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")


# --- headers and limits -----------------------------------------------------------------------


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class OneHost:
    """Refuses a request with more than one Host header (400).

    The host check reads the first one; a proxy or a framework further on may read another,
    so a request could pass the check under one name and be served under another.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            hosts = [value for name, value in scope["headers"] if name.lower() == b"host"]
            if len(hosts) > 1:
                message = f"the request has {len(hosts)} Host headers; send one"
                await _error_response(scope["path"], 400, message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuses request bodies above ``max_bytes`` with 413, before reading them whole.

    A declared Content-Length above the limit is refused at once; a body sent without one
    (chunked) is counted as it arrives and refused when it passes the limit.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = (
            f"the request is larger than {self.max_bytes} bytes. "
            "Send fewer or smaller files, or compare them from the command line"
        )
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = _error_response(scope["path"], 413, message)
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > self.max_bytes:
                    raise StarletteHTTPException(413, message)
            return incoming

        await self.app(scope, counting_receive, send)


class SameOrigin:
    """Refuses a POST sent from a page of another site (403).

    There are no cookies to steal, but a page elsewhere could still make a visitor's browser
    post to a local server (fetching URLs, using its CPU). Browsers say where a request comes
    from in ``Sec-Fetch-Site`` (and ``Origin``, which is ``null`` for our own forms under
    ``Referrer-Policy: no-referrer``). A request with neither (curl, scripts) passes.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(scope["headers"])
            site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
            origin = headers.get(b"origin", b"").decode("latin-1")
            host = headers.get(b"host", b"").decode("latin-1")
            foreign_origin = origin not in ("", "null") and (
                urlsplit(origin).netloc.lower() != host.lower()
            )
            if site in ("cross-site", "same-site") or foreign_origin:
                message = f"a request from {origin or site} to this server is refused (cross-site)"
                await _error_response(scope["path"], 403, message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


# --- errors -----------------------------------------------------------------------------------


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path == "/api"


def _error_response(path: str, status: int, message: str) -> Response:
    """``{"detail": message}`` under /api/, an HTML page everywhere else."""
    if _is_api(path):
        return JSONResponse({"detail": message}, status_code=status)
    title = STATUS_TITLES.get(status, "Error")
    html = templates.get_template("error.html").render(status=status, title=title, message=message)
    return HTMLResponse(html, status_code=status)


def _validation_message(err: RequestValidationError) -> str:
    """Pydantic errors as ``[query -> page] Input should be ...`` lines, one per problem."""
    lines = []
    for problem in err.errors():
        where = " -> ".join(str(part) for part in problem.get("loc", ()))
        lines.append(f"[{where}] {problem.get('msg', 'invalid value')}")
    return "; ".join(lines) or "invalid request"


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else STATUS_TITLES.get(exc.status_code)
        response = _error_response(request.url.path, exc.status_code, detail or "error")
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request.url.path, 422, _validation_message(exc))

    @app.exception_handler(RashomonError)
    async def rashomon_error(request: Request, exc: RashomonError) -> Response:
        if isinstance(exc, TooLargeError):
            status = 413
        elif isinstance(exc, InputError | NotEnoughArticlesError):
            status = 422
        else:
            status = 500
            if not isinstance(exc, ConfigError | ModelMissingError | CorpusUnavailableError):
                log.error("unexpected rashomon error on %s: %s", request.url.path, exc)
        return _error_response(request.url.path, status, str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette logs the traceback and re-raises after this response is sent; the browser
        # only ever sees this message. This handler runs outside every middleware, so the
        # security headers are set here.
        response = _error_response(
            request.url.path, 500, "the server failed to answer this request; it has been logged"
        )
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response


# --- OpenAPI ----------------------------------------------------------------------------------

COMPARISON_REF = "#/components/schemas/Comparison"


def _openapi(app: FastAPI) -> dict[str, object]:
    """The generated schema, plus the ``rashomon/comparison@1`` JSON Schema as components."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        routes=app.routes,
    )
    comparison = json_schema()
    defs = comparison.pop("$defs", {})
    comparison.pop("$schema", None)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    assert isinstance(defs, dict)
    for name, definition in defs.items():
        components[f"Comparison{name}"] = _rewrite_refs(definition)
    components["Comparison"] = _rewrite_refs(comparison)
    app.openapi_schema = schema
    return schema


def _rewrite_refs(node: object) -> object:
    """``#/$defs/X`` -> ``#/components/schemas/ComparisonX`` everywhere in ``node``."""
    if isinstance(node, dict):
        out: dict[str, object] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = "#/components/schemas/Comparison" + value.removeprefix("#/$defs/")
            else:
                out[key] = _rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node
