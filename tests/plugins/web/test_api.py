"""The JSON API of `routilux serve`: reading jobs, steering them, and refusing changes
without the token."""

from __future__ import annotations

import json
import os
import pathlib
import threading
from collections.abc import Callable

import pytest
from servekit import AUTH, TOKEN, WAIT, cli, run_approval
from starlette.testclient import TestClient

from routilux import JobState, open_store


def wait_stopped(client: TestClient, job_id: str) -> dict[str, object]:
    """Wait until the job stops running (it runs in the app's process) and the store
    has its end; its detail."""
    service = client.app.state.service  # type: ignore[attr-defined]
    assert JobState.wait_for_completion(None, service.get(job_id), WAIT)
    # the in-memory status can be final a moment before the final save lands
    tick = threading.Event()
    for _ in range(WAIT * 20):
        if service.store.load(job_id).status != "running":
            break
        tick.wait(0.05)
    detail = client.get(f"/api/jobs/{job_id}").json()
    assert isinstance(detail, dict)
    return detail


def stored_status(store_url: str, job_id: str) -> str:
    with open_store(store_url) as store:
        return store.load(job_id).status


# ---------------------------------------------------------------- reading


def test_jobs_run_by_another_process_are_listed_with_their_pause_points(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    job_id = run_approval(store_url, tmp_path, "New laptop")

    listed = client.get("/api/jobs").json()
    assert [(j["job_id"], j["flow_id"], j["status"]) for j in listed["jobs"]] == [
        (job_id, "approval", "paused")
    ]
    detail = client.get(f"/api/jobs/{job_id}").json()
    assert detail["status"] == "paused"
    assert detail["routine_states"]["request"]["status"] == "completed"
    assert [r["event_name"] for r in detail["history"]["records"]] == ["start", "output"]
    [point] = detail["pause_points"]
    assert point["routine_id"] == "ask"
    assert point["fields"] == ["approved"]
    assert point["prompt"].startswith("Approve this request?")


def test_jobs_are_filtered_by_status_and_flow_and_paged(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    paused = {run_approval(store_url, tmp_path, f"item {n}") for n in range(3)}
    answered = run_approval(store_url, tmp_path, "done")
    client.post(
        f"/api/jobs/{answered}/answer",
        json={"pause_id": "ask", "answer": {"approved": "no"}},
        headers=AUTH,
    )
    assert wait_stopped(client, answered)["status"] == "completed"

    only_paused = client.get("/api/jobs", params={"status": "paused"}).json()["jobs"]
    assert {j["job_id"] for j in only_paused} == paused
    assert client.get("/api/jobs", params={"flow": "nope"}).json()["jobs"] == []
    first = client.get("/api/jobs", params={"limit": 2}).json()
    second = client.get("/api/jobs", params={"limit": 2, "offset": 2}).json()
    assert first["more"] is True and second["more"] is False
    seen = [j["job_id"] for j in first["jobs"] + second["jobs"]]
    assert sorted(seen) == sorted([*paused, answered])
    assert client.get("/api/jobs", params={"limit": "many"}).status_code == 400


def test_an_unknown_status_filter_is_400_naming_the_statuses(client: TestClient) -> None:
    response = client.get("/api/jobs", params={"status": "runing"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "'runing'" in error and "running" in error and "paused" in error


def test_an_unknown_job_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/api/jobs/no-such-job")
    assert response.status_code == 404
    assert "no-such-job" in response.json()["error"]


def test_history_is_paged(client: TestClient, store_url: str, tmp_path: pathlib.Path) -> None:
    job_id = run_approval(store_url, tmp_path, "paging")
    page = client.get(f"/api/jobs/{job_id}", params={"history_offset": 1, "history_limit": 1})
    history = page.json()["history"]
    assert history["total"] == 2
    assert history["offset"] == 1
    assert [r["event_name"] for r in history["records"]] == ["output"]


def test_the_graph_is_svg_coloured_by_routine_status(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    job_id = run_approval(store_url, tmp_path, "graph")
    response = client.get(f"/api/jobs/{job_id}/graph.svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert 'data-routine-id="request" data-status="completed"' in svg
    assert 'data-routine-id="ask" data-status="waiting"' in svg
    assert 'data-routine-id="record" data-status="pending"' in svg
    assert svg.count('class="edge"') == 6  # the spec's six connections
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_plugins_routines_and_specs_are_listed(client: TestClient) -> None:
    routines = {r["name"] for r in client.get("/api/routines").json()["routines"]}
    assert {"control.human_input", "text.template", "io.write_json"} <= routines
    plugins = client.get("/api/plugins").json()["plugins"]
    assert any("command" in p["registers"] for p in plugins)
    assert client.get("/api/specs").json()["specs"] == ["approval.toml"]


def test_openapi_describes_every_api_route(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    described = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    served = set()
    for route in client.app.routes:  # type: ignore[attr-defined]
        if route.path.startswith("/api") or route.path == "/metrics":
            for method in route.methods - {"HEAD"}:
                served.add((route.path, method))
    assert described == served


# ---------------------------------------------------------------- steering


def test_answering_a_pause_completes_the_job(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    job_id = run_approval(store_url, tmp_path, "New laptop")
    response = client.post(
        f"/api/jobs/{job_id}/answer",
        json={"pause_id": "ask", "answer": {"approved": "yes"}},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    detail = wait_stopped(client, job_id)
    assert detail["status"] == "completed"
    assert detail["pause_points"] == []
    written = json.loads((tmp_path / "New_laptop.json").read_text())
    assert written["text"] == "APPROVED: New laptop"
    svg = client.get(f"/api/jobs/{job_id}/graph.svg").text  # what ran, read from the history
    for routine_id, status in [
        ("ask", "completed"),
        ("approved", "completed"),
        ("record", "completed"),
        ("rejected", "pending"),
    ]:
        assert f'data-routine-id="{routine_id}" data-status="{status}"' in svg
    assert stored_status(store_url, job_id) == "completed"


@pytest.mark.parametrize(
    ("pause_id", "answer", "expected"),
    [
        # the engine's own check (routilux.pause_points.check_answers) and its messages
        ("ask", {"aproved": "yes"}, "unknown field(s) 'aproved'"),
        ("ask", {"aproved": "yes"}, "it expects exactly: approved"),
        ("ask", {}, "missing field(s) 'approved'"),
        ("ask", "yes", "must be a mapping of field to value"),
        ("nope", {"approved": "yes"}, "no pause point 'nope'"),
        ("ask", {"approved": {"nested": 1}}, "plain value"),
    ],
)
def test_a_wrong_answer_is_refused_and_the_job_stays_answerable(
    client: TestClient,
    store_url: str,
    tmp_path: pathlib.Path,
    pause_id: str,
    answer: object,
    expected: str,
) -> None:
    job_id = run_approval(store_url, tmp_path, "typo")
    response = client.post(
        f"/api/jobs/{job_id}/answer", json={"pause_id": pause_id, "answer": answer}, headers=AUTH
    )
    assert response.status_code == 422
    assert expected in response.json()["error"]
    assert stored_status(store_url, job_id) == "paused"
    right = client.post(
        f"/api/jobs/{job_id}/answer",
        json={"pause_id": "ask", "answer": {"approved": "no"}},
        headers=AUTH,
    )
    assert right.status_code == 201
    assert wait_stopped(client, job_id)["status"] == "completed"
    assert json.loads((tmp_path / "typo.json").read_text())["text"] == "REJECTED: typo"


def test_cancel_a_paused_job(client: TestClient, store_url: str, tmp_path: pathlib.Path) -> None:
    job_id = run_approval(store_url, tmp_path, "cancel me")
    assert client.post(f"/api/jobs/{job_id}/cancel", headers=AUTH).status_code == 201
    assert stored_status(store_url, job_id) == "cancelled"
    again = client.post(f"/api/jobs/{job_id}/resume", headers=AUTH)
    assert again.status_code == 409
    assert "cancelled" in again.json()["error"]


def test_start_a_job_from_the_specs_directory(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    out = tmp_path / "started.json"
    response = client.post(
        "/api/jobs",
        json={"spec": "approval.toml", "params": {"title": "From the API", "output": str(out)}},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    job_id = response.json()["job_id"]
    detail = wait_stopped(client, job_id)
    assert detail["status"] == "paused"
    assert detail["metadata"]["params"]["title"] == "From the API"
    client.post(
        f"/api/jobs/{job_id}/answer",
        json={"pause_id": "ask", "answer": {"approved": "yes"}},
        headers=AUTH,
    )
    assert wait_stopped(client, job_id)["status"] == "completed"
    assert json.loads(out.read_text())["text"] == "APPROVED: From the API"


@pytest.mark.parametrize(
    "spec",
    [
        "../outside.toml",
        "sub/../../outside.toml",
        "/etc/passwd",
        "escape.toml",  # a symlink inside the directory that points outside
        "approval.toml\x00.txt",
        "missing.toml",
        "",
        7,
    ],
)
def test_only_specs_inside_the_specs_directory_start(
    client: TestClient, store_url: str, specs_dir: pathlib.Path, spec: object
) -> None:
    outside = specs_dir.parent / "outside.toml"
    outside.write_text((specs_dir / "approval.toml").read_text())
    os.symlink(outside, specs_dir / "escape.toml")
    response = client.post("/api/jobs", json={"spec": spec, "params": {}}, headers=AUTH)
    assert response.status_code == 404
    assert "/api/specs" in response.json()["error"]
    with open_store(store_url) as store:
        assert store.list() == []


# ---------------------------------------------------------------- safety


CHANGES = [
    ("POST", "/api/jobs", {"spec": "approval.toml", "params": {"title": "x", "output": "x.json"}}),
    ("POST", "/api/jobs/{job}/answer", {"pause_id": "ask", "answer": {"approved": "yes"}}),
    ("POST", "/api/jobs/{job}/resume", {"input": {"approved": "yes"}}),
    ("POST", "/api/jobs/{job}/cancel", None),
]


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"X-Token": TOKEN}],
    ids=["none", "wrong", "no-scheme", "other-header"],
)
def test_every_change_without_the_token_is_401_and_changes_nothing(
    client: TestClient,
    store_url: str,
    tmp_path: pathlib.Path,
    method: str,
    path: str,
    body: object,
    headers: dict[str, str],
) -> None:
    job_id = run_approval(store_url, tmp_path, "guarded")
    with open_store(store_url) as store:
        before = store.load(job_id).serialize()
    response = client.request(method, path.format(job=job_id), json=body, headers=headers)
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["error"]
    with open_store(store_url) as store:
        assert [s.job_id for s in store.list()] == [job_id]
        assert store.load(job_id).serialize() == before


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
def test_a_read_only_server_refuses_every_change(
    make_client: Callable[..., TestClient],
    store_url: str,
    tmp_path: pathlib.Path,
    method: str,
    path: str,
    body: object,
) -> None:
    client = make_client(read_only=True)
    job_id = run_approval(store_url, tmp_path, "read only")
    response = client.request(method, path.format(job=job_id), json=body, headers=AUTH)
    assert response.status_code == 403
    assert stored_status(store_url, job_id) == "paused"
    assert client.get(f"/api/jobs/{job_id}").status_code == 200


def test_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    for path in ("/", "/jobs/some-id"):
        response = client.get(path)
        assert response.status_code == 200
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "http://" not in response.text and "https://" not in response.text
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/..%2Fapp.py").status_code == 404


def test_a_job_another_process_holds_is_refused_with_409_naming_the_owner(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    job_id = run_approval(store_url, tmp_path, "held")
    with open_store(store_url) as other:  # another owner, as another process would be
        claim = other.claim(job_id)  # type: ignore[attr-defined]
        listed = client.get("/api/jobs").json()["jobs"]
        assert listed[0]["owner"] == claim.owner
        answer = {"pause_id": "ask", "answer": {"approved": "yes"}}
        for path, body in (("answer", answer), ("resume", {})):
            response = client.post(f"/api/jobs/{job_id}/{path}", json=body, headers=AUTH)
            assert response.status_code == 409, response.text
            assert claim.owner in response.json()["error"]
        other.release(job_id)  # type: ignore[attr-defined]
    assert stored_status(store_url, job_id) == "paused"
    response = client.post(f"/api/jobs/{job_id}/answer", json=answer, headers=AUTH)
    assert response.status_code == 201
    assert wait_stopped(client, job_id)["status"] == "completed"


def test_an_error_says_what_to_do_as_well(
    client: TestClient, store_url: str, specs_dir: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    # the job's spec lost its entry routine since it paused: the message (0.10's words)
    # and its note (what to do) both reach the API's caller
    spec = specs_dir / "approval.toml"
    result = cli(
        "run",
        str(spec),
        *("--param", "title=renamed", "--param", f"output={tmp_path / 'o.json'}"),
        *("--store", store_url, "--json"),
        cwd=tmp_path,
    )
    assert result.returncode == 3, result.stderr
    job_id = json.loads(result.stdout)["job_id"]
    text = spec.read_text()
    spec.write_text(
        text.replace('entry = "request"', 'entry = "req"')
        .replace("[routines.request]", "[routines.req]")
        .replace('from = "request.output"', 'from = "req.output"')
    )
    response = client.post(f"/api/jobs/{job_id}/resume", json={}, headers=AUTH)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith("Current routine 'request' not found in flow")
    assert "add it with add_routine first" in error
