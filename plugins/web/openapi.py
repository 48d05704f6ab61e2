"""The OpenAPI 3.1 document of `routilux serve`, served at ``/openapi.json``.

Written out rather than generated: the API is small, and a test checks that
every route of the application is described here and nothing else is.
"""

from __future__ import annotations

from typing import Any

from routilux import __version__

_JOB_ID = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
_SUMMARY = {
    "type": "object",
    "properties": {
        "job_id": {"type": "string"},
        "flow_id": {"type": "string"},
        "status": {
            "type": "string",
            "enum": [
                "pending",
                "running",
                "completed",
                "failed",
                "paused",
                "cancelled",
                "unreadable",
            ],
        },
        "owner": {"type": "string", "description": "the process holding the job's claim"},
        "lease_until": {"type": ["string", "null"], "format": "date-time"},
        "problem": {"type": "string", "description": "why an unreadable job cannot be read"},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
    },
    "required": ["job_id", "flow_id", "status", "created_at", "updated_at"],
}
_PAUSE_POINT = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "routine_id": {"type": "string"},
        "prompt": {"type": "string"},
        "fields": {"type": "array", "items": {"type": "string"}},
    },
}
_JOB = {
    "allOf": [
        {"$ref": "#/components/schemas/JobSummary"},
        {
            "type": "object",
            "properties": {
                "metadata": {"type": "object"},
                "routine_states": {"type": "object", "additionalProperties": {"type": "object"}},
                "history": {
                    "type": "object",
                    "properties": {
                        "total": {"type": "integer"},
                        "offset": {"type": "integer"},
                        "records": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "outputs": {"type": "array", "items": {"type": "object"}},
                "errors": {"type": "array", "items": {"type": "object"}},
                "pending": {"type": "array", "items": {"type": "object"}},
                "deferred_events": {"type": "array", "items": {"type": "object"}},
                "pause_points": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/PausePoint"},
                },
            },
        },
    ]
}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


_CHANGE_ERRORS = {
    "400": _json(_ref("Error"), "bad input"),
    "401": _json(_ref("Error"), "no or wrong token: nothing was changed"),
    "403": _json(_ref("Error"), "the server is read-only"),
    "404": _json(_ref("Error"), "no such job or spec"),
    "409": _json(_ref("Error"), "the job's state does not allow this"),
}


def _change(summary: str, body: dict[str, Any] | None, params: list[Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [{"token": []}],
        "parameters": params,
        "responses": {"201": _json(_ref("JobSummary")), **_CHANGE_ERRORS},
    }
    if body is not None:
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": body}},
        }
    return {"post": operation}


def _get(summary: str, schema: dict[str, Any], params: list[Any] | None = None) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {"200": _json(schema), "404": _json(_ref("Error"), "not found")},
        }
    }


def _query(name: str, kind: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": kind},
        "description": description,
    }


def document(metrics: bool = True) -> dict[str, Any]:
    """The OpenAPI document (``/metrics`` only when the server serves it)."""
    paths: dict[str, Any] = {
        "/api/jobs": {
            **_get(
                "List jobs, most recently updated first",
                {
                    "type": "object",
                    "properties": {
                        "jobs": {"type": "array", "items": _ref("JobSummary")},
                        "offset": {"type": "integer"},
                        "limit": {"type": "integer"},
                        "more": {"type": "boolean"},
                    },
                },
                [
                    _query(
                        "status",
                        "string",
                        "only jobs with this status: pending, running, paused, completed, "
                        "failed or cancelled (another is 400)",
                    ),
                    _query("flow", "string", "only jobs of this flow id"),
                    _query("offset", "integer", "skip this many"),
                    _query("limit", "integer", "at most this many (1-500, default 50)"),
                ],
            ),
            **_change(
                "Start a job of a spec from the served specs directory",
                {
                    "type": "object",
                    "properties": {
                        "spec": {"type": "string", "description": "a name from /api/specs"},
                        "params": {"type": "object"},
                        "entry": {"type": "string"},
                    },
                    "required": ["spec"],
                },
                [],
            ),
        },
        "/api/jobs/{job_id}": _get(
            "A job: status, routine states, a page of history, outputs, errors, pending "
            "work and pause points",
            _ref("Job"),
            [
                _JOB_ID,
                _query(
                    "history_offset", "integer", "first history record (default: the last page)"
                ),
                _query("history_limit", "integer", "history records per page (default 50)"),
            ],
        ),
        "/api/jobs/{job_id}/graph.svg": {
            "get": {
                "summary": "The job's flow as SVG, coloured by routine status",
                "parameters": [_JOB_ID],
                "responses": {
                    "200": {"description": "SVG", "content": {"image/svg+xml": {}}},
                    "404": _json(_ref("Error"), "not found"),
                },
            }
        },
        "/api/jobs/{job_id}/resume": _change(
            "Resume a paused or failed job",
            {"type": "object", "properties": {"input": {"type": "object"}}},
            [_JOB_ID],
        ),
        "/api/jobs/{job_id}/cancel": _change("Cancel a job", None, [_JOB_ID]),
        "/api/jobs/{job_id}/answer": _change(
            "Answer a pause point (its fields are checked before anything changes)",
            {
                "type": "object",
                "properties": {"pause_id": {"type": "string"}, "answer": {"type": "object"}},
                "required": ["pause_id", "answer"],
            },
            [_JOB_ID],
        ),
        "/api/specs": _get(
            "Spec files that may be started",
            {
                "type": "object",
                "properties": {"specs": {"type": "array", "items": {"type": "string"}}},
            },
        ),
        "/api/plugins": _get("Installed plugins and what each registers", {"type": "object"}),
        "/api/routines": _get("Registered routine names", {"type": "object"}),
        "/api/events": {
            "get": {
                "summary": "Server-sent events: one `job` event per change of a job",
                "parameters": [_query("job_id", "string", "only this job's changes")],
                "responses": {
                    "200": {"description": "events", "content": {"text/event-stream": {}}}
                },
            }
        },
    }
    if metrics:
        paths["/metrics"] = {
            "get": {
                "summary": "Prometheus metrics",
                "responses": {"200": {"description": "metrics", "content": {"text/plain": {}}}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "routilux serve", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": {
                "Error": _ERROR,
                "JobSummary": _SUMMARY,
                "PausePoint": _PAUSE_POINT,
                "Job": _JOB,
            },
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }
