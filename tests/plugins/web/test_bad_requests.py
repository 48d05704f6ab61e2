"""Bad requests to `routilux serve`: each gets a 4xx JSON error naming the problem
(never a 500 or a plain-text page), and none changes the store."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from servekit import AUTH, run_approval
from starlette.testclient import TestClient

from routilux import open_store
from routilux.plugins.web.app import MAX_BODY_BYTES


def stored(store_url: str, job_id: str) -> dict[str, Any]:
    with open_store(store_url) as store:
        return store.load(job_id).serialize()


JSON = {**AUTH, "Content-Type": "application/json"}

#: (body, headers, status, a fragment of the error), sent to answer, resume and cancel.
BAD_BODIES: list[tuple[bytes, dict[str, str], int, str]] = [
    (b"[" * 100_000, JSON, 400, "nested too deeply"),
    (b'{"pause_id": "ask", "answer": {"approved": NaN}}', JSON, 400, "NaN is not a JSON value"),
    (b'{"input": {"approved": 1e400}}', JSON, 400, "the number 1e400 is too large"),
    (b'{"pause_id": "ask"', JSON, 400, "the request body is not JSON"),
    (b'{"pause_id": "ask", "answer": {"approved": true}}', {**AUTH, "Content-Type": "text/plain"},
     415, "the request body is text/plain; send a JSON object as application/json"),
    (b"pause_id=ask&approved=yes",
     {**AUTH, "Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"),
    (b'{"pause_id": "ask", "answer": {"approved": "' + b"y" * MAX_BODY_BYTES + b'"}}', JSON, 413,
     f"larger than {MAX_BODY_BYTES} bytes"),
]  # fmt: skip


def test_bad_bodies_get_a_4xx_naming_the_problem_and_change_nothing(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    job_id = run_approval(store_url, tmp_path, "Bad bodies")
    before = stored(store_url, job_id)
    for action in ("answer", "resume", "cancel"):
        for body, headers, status, fragment in BAD_BODIES:
            response = client.post(f"/api/jobs/{job_id}/{action}", content=body, headers=headers)
            assert response.status_code == status, (action, body[:40], response.text)
            assert fragment in response.json()["error"], (action, body[:40])
    assert stored(store_url, job_id) == before
    assert client.get(f"/api/jobs/{job_id}").json()["status"] == "paused"


@pytest.mark.parametrize(
    ("method", "path", "status", "fragment"),
    [
        ("GET", "/api/jobs/..%2F..%2Fetc%2Fpasswd", 404, "no such address /api/jobs/../../etc"),
        ("POST", "/api/jobs/..%2Fx/cancel", 404, "no such address /api/jobs/../x/cancel"),
        ("GET", "/static/..%2Fapp.py", 404, "no such address /static/../app.py"),
        ("PUT", "/api/jobs/x", 405, "PUT is not allowed on /api/jobs/x"),
        ("GET", "/api/jobs?status=bogus", 400, "status='bogus' is not a job status; use one of"),
    ],
)
def test_unknown_addresses_and_filters_get_a_json_error(
    client: TestClient, method: str, path: str, status: int, fragment: str
) -> None:
    response = client.request(method, path, headers=AUTH)
    assert response.status_code == status
    assert fragment in response.json()["error"]


def test_a_valid_answer_sent_as_json_still_works(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    job_id = run_approval(store_url, tmp_path, "Good answer")
    response = client.post(
        f"/api/jobs/{job_id}/answer",
        json={"pause_id": "ask", "answer": {"approved": True}},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
