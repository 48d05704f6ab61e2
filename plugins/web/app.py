"""The Starlette application of `routilux serve`: JSON API, events, metrics, pages.

Reads need nothing; every request that changes something (``POST``) needs
``Authorization: Bearer TOKEN`` and is refused with 401 before anything is
read or changed without it, or with 403 on a ``--read-only`` server. The pages
get the token from the address's fragment (``/#token=...``, never sent to the
server) and keep it in the tab's session storage.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib import resources
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from routilux.errors import JobClaimedError, JobNotFoundError, RoutiluxError, message_with_notes
from routilux.records import JOB_STATUSES
from routilux.registry import list_plugins, registered, registrations

from . import openapi, views
from .feed import ChangeFeed, FeedObserver
from .graph import render_svg
from .pauses import AnswerError
from .service import ConflictError, JobService, SpecNotFoundError

Endpoint = Callable[[Request], Awaitable[Response]]


@attrs.frozen
class ServeConfig:
    """What ``routilux serve`` was started with."""

    store_url: str
    token: str = attrs.field(repr=False)
    specs_dir: str | None = None
    read_only: bool = False
    metrics: bool = True


class HTTPError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error_status(exc: RoutiluxError) -> int:
    if isinstance(exc, JobNotFoundError | SpecNotFoundError):
        return 404
    if isinstance(exc, ConflictError | JobClaimedError):
        return 409
    if isinstance(exc, AnswerError):
        return 422
    return 400


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise HTTPError(400, f"query parameter {name} must be an integer, not {text!r}") from None
    return max(low, min(value, high))


def _status(request: Request) -> str | None:
    """The ``status`` filter, refused when no job can have it (as ``routilux jobs
    --status`` does): a typo such as ``runing`` would otherwise list nothing, silently."""
    text = request.query_params.get("status") or None
    if text is not None and text not in JOB_STATUSES:
        raise HTTPError(
            400,
            f"query parameter status={text!r} is not a job status; use one of "
            f"{', '.join(sorted(JOB_STATUSES))}",
        )
    return text


def _static(name: str) -> str:
    return (
        resources.files(__package__).joinpath("static").joinpath(name).read_text(encoding="utf-8")
    )


def create_app(config: ServeConfig) -> Starlette:
    """The application for `config` (its lifespan opens and closes the store)."""
    service = JobService(config.store_url, config.specs_dir)
    feed = ChangeFeed(
        describe=lambda job_id: _describe(service, job_id), poll=lambda: _poll(service)
    )
    service.on_change = feed.mark
    metrics_registry = None
    metrics_observer = None
    if config.metrics:
        from .metrics import make_metrics

        metrics_registry, metrics_observer = make_metrics(
            lambda: _count_jobs(service), service.live_jobs
        )

    def guarded(handler: Callable[..., Any], changes: bool = False) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            try:
                if changes:
                    _authorize(request, config)
                    body = await _body(request)
                    result = await run_in_threadpool(handler, request, body)
                else:
                    result = await run_in_threadpool(handler, request)
            except HTTPError as exc:
                return JSONResponse({"error": str(exc)}, status_code=exc.status)
            except RoutiluxError as exc:  # the message, and what to do
                return JSONResponse(
                    {"error": message_with_notes(exc)}, status_code=_error_status(exc)
                )
            if isinstance(result, Response):
                return result
            return JSONResponse(result, status_code=201 if changes else 200)

        return endpoint

    # ------------------------------------------------------------- reads

    def list_jobs(request: Request) -> dict[str, Any]:
        offset = _int(request, "offset", 0, 0, 1_000_000)
        limit = _int(request, "limit", 50, 1, 500)
        rows, more = service.list_jobs(
            status=_status(request),
            flow_id=request.query_params.get("flow") or None,
            offset=offset,
            limit=limit,
        )
        return {
            "jobs": [views.row_json(r) for r in rows],
            "offset": offset,
            "limit": limit,
            "more": more,
        }

    def job_detail(request: Request) -> dict[str, Any]:
        job = service.get(request.path_params["job_id"])
        offset = request.query_params.get("history_offset")
        return views.job_json(
            job,
            None if offset in (None, "") else _int(request, "history_offset", 0, 0, 10**9),
            _int(request, "history_limit", views.HISTORY_PAGE, 0, 1000),
        )

    def job_graph(request: Request) -> Response:
        job = service.get(request.path_params["job_id"])
        nodes, edges, statuses = service.graph(job)
        svg = render_svg(nodes, edges, statuses, title=f"{job.flow_id} ({job.job_id})")
        return Response(svg, media_type="image/svg+xml")

    def specs(request: Request) -> dict[str, Any]:
        return {"specs": service.specs(), "read_only": config.read_only}

    def plugins(request: Request) -> dict[str, Any]:
        return {
            "plugins": [
                {
                    "name": p.name,
                    "distribution": p.distribution,
                    "version": p.version,
                    "module": p.module,
                    "registers": p.registers,
                    "error": p.error,
                }
                for p in list_plugins()
            ]
        }

    def routines(request: Request) -> dict[str, Any]:
        regs = sorted(registrations("routine"), key=lambda r: r.name)
        return {
            "routines": [{"name": r.name, "summary": r.summary, "owner": r.owner} for r in regs]
        }

    # ------------------------------------------------------------- changes

    def start(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        job = service.start(body.get("spec"), body.get("params"), body.get("entry"))
        return views.job_summary_json(job)

    def resume(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        job = service.resume(request.path_params["job_id"], body.get("input"))
        return views.job_summary_json(job)

    def answer(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        job = service.answer(
            request.path_params["job_id"], body.get("pause_id"), body.get("answer")
        )
        return views.job_summary_json(job)

    def cancel(request: Request, body: dict[str, Any]) -> dict[str, Any]:
        job = service.cancel(request.path_params["job_id"])
        return views.job_summary_json(job)

    # ------------------------------------------------------------- streams, pages

    async def events(request: Request) -> Response:
        only = request.query_params.get("job_id")

        async def stream() -> AsyncIterator[str]:
            yield "retry: 1000\n: connected\n\n"
            async for message in feed.subscribe():
                if only is None or message["job_id"] == only:
                    yield f"event: job\ndata: {json.dumps(message)}\n\n"

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    async def metrics(request: Request) -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        assert metrics_registry is not None  # the route exists only with metrics on
        data = await run_in_threadpool(generate_latest, metrics_registry)
        return Response(data, media_type=CONTENT_TYPE_LATEST)

    async def schema(request: Request) -> Response:
        return JSONResponse(openapi.document(config.metrics))

    def page(name: str) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            html = _static(name).replace("{{ read_only }}", "true" if config.read_only else "false")
            return HTMLResponse(html, headers={"Content-Security-Policy": CSP})

        return endpoint

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return JSONResponse({"error": f"no asset {name!r}"}, status_code=404)
        return Response(_static(name), media_type=ASSETS[name])

    routes = [
        Route("/", page("jobs.html")),
        Route("/jobs/{job_id}", page("job.html")),
        Route("/static/{name}", asset),
        Route("/openapi.json", schema),
        Route("/api/jobs", guarded(list_jobs), methods=["GET"]),
        Route("/api/jobs", guarded(start, changes=True), methods=["POST"]),
        Route("/api/jobs/{job_id}", guarded(job_detail)),
        Route("/api/jobs/{job_id}/graph.svg", guarded(job_graph)),
        Route("/api/jobs/{job_id}/resume", guarded(resume, changes=True), methods=["POST"]),
        Route("/api/jobs/{job_id}/cancel", guarded(cancel, changes=True), methods=["POST"]),
        Route("/api/jobs/{job_id}/answer", guarded(answer, changes=True), methods=["POST"]),
        Route("/api/specs", guarded(specs)),
        Route("/api/plugins", guarded(plugins)),
        Route("/api/routines", guarded(routines)),
        Route("/api/events", events),
    ]
    if config.metrics:
        routes.append(Route("/metrics", metrics))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stack = contextlib.ExitStack()
        stack.enter_context(registered(FeedObserver(feed), name=f"routilux-serve-feed-{id(feed)}"))
        if metrics_observer is not None:
            stack.enter_context(
                registered(metrics_observer, name=f"routilux-serve-metrics-{id(feed)}")
            )
        task = asyncio.create_task(feed.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            stack.close()
            service.close()

    async def no_route(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        if status == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        else:
            message = f"no such address {request.url.path}; /openapi.json lists the API"
        return JSONResponse({"error": message}, status_code=status)

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: no_route})
    app.state.service = service
    app.state.feed = feed
    return app


CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"
ASSETS = {"app.js": "text/javascript", "app.css": "text/css"}


def _authorize(request: Request, config: ServeConfig) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), config.token.encode()
    ):
        raise HTTPError(401, "this request changes a job: send Authorization: Bearer TOKEN")
    if config.read_only:
        raise HTTPError(403, "this server is read-only (routilux serve --read-only)")


#: The largest request body read (an answer, input or params); larger is a 413.
MAX_BODY_BYTES = 1024 * 1024


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is too large")
    return value


async def _body(request: Request) -> dict[str, Any]:
    """The request's JSON object: 400 if it is not one (bad or too deeply nested JSON,
    NaN), 413 past MAX_BODY_BYTES (read no further), 415 if sent as another type."""
    too_big = HTTPError(
        413, f"the request body is larger than {MAX_BODY_BYTES} bytes; send a smaller JSON object"
    )
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_big
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return {}
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind != "application/json" and not kind.endswith("+json"):
        raise HTTPError(415, f"the request body is {kind}; send a JSON object as application/json")
    try:
        body = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except ValueError as exc:
        raise HTTPError(400, f"the request body is not JSON: {exc}") from None
    except RecursionError:
        raise HTTPError(
            400, "the request body is not JSON this server reads: nested too deeply"
        ) from None
    if not isinstance(body, dict):
        raise HTTPError(400, "the request body must be a JSON object")
    return body


def _describe(service: JobService, job_id: str) -> dict[str, Any] | None:
    try:
        return views.job_summary_json(service.get(job_id))
    except JobNotFoundError:
        return None


def _poll(service: JobService) -> list[dict[str, Any]]:
    rows, _ = service.list_jobs(limit=200)
    return [views.row_json(r) for r in rows]


def _count_jobs(service: JobService) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for summary in service.store.list(limit=100_000):
        key = (summary.flow_id, summary.status)
        counts[key] = counts.get(key, 0) + 1
    return counts
