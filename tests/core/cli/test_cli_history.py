"""`routilux history`, `fork` and `prune`, run as a user would (subprocess)."""

from __future__ import annotations

import json
import pathlib

from cli_process import EXAMPLES, routilux

from routilux import Flow, JobState


def run_wordcount(tmp_path: pathlib.Path, url: str) -> JobState:
    """The word count, saved after every activation with every checkpoint kept."""
    spec = str(EXAMPLES / "wordcount.toml")
    params = {"input": str(EXAMPLES / "alice.txt"), "output": str(tmp_path / "original.json")}
    flow = Flow.from_file(spec, params=params)
    flow.routines["read"].set_config(batch=10)  # many steps, so many checkpoints
    flow.set_store(url, checkpoint="every_activation")
    flow.keep_checkpoints = 10_000
    job = JobState(flow_id=flow.flow_id)
    job.update_metadata(spec=spec, params=params)
    flow.execute(flow.entry, params, job_state=job)
    assert JobState.wait_for_completion(flow, job, timeout=300)
    flow.shutdown()
    assert job.status == "completed"
    return job


def test_fork_from_a_middle_checkpoint_of_a_word_count_gives_the_same_result(tmp_path):
    url = f"sqlite:///{tmp_path}/jobs.db"
    job = run_wordcount(tmp_path, url)
    listed = routilux("history", job.job_id, "--store", url, "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    kept = json.loads(listed.stdout)
    assert [c["seq"] for c in kept] == list(range(1, len(kept) + 1)) and len(kept) > 10
    assert kept[-1]["status"] == "completed"
    middle = kept[len(kept) // 2]
    assert middle["status"] == "running" and middle["routine_id"]
    text = routilux("history", job.job_id, "--store", url, cwd=tmp_path)
    assert f"{middle['seq']:5d}  " in text.stdout and "running" in text.stdout

    forked = routilux(
        "fork",
        job.job_id,
        "--at",
        str(middle["seq"]),
        "--store",
        url,
        "--param",
        f"output={tmp_path / 'forked.json'}",
        "--json",
        cwd=tmp_path,
    )
    assert forked.returncode == 0, forked.stderr
    child_id = json.loads(forked.stdout)["job_id"]
    assert child_id != job.job_id
    original = json.loads((tmp_path / "original.json").read_text())
    assert json.loads((tmp_path / "forked.json").read_text()) == original
    shown = json.loads(routilux("show", child_id, "--store", url, "--json", cwd=tmp_path).stdout)
    assert shown["metadata"]["forked_from"] == {"job_id": job.job_id, "seq": middle["seq"]}
    assert shown["metadata"]["params"]["output"] == str(tmp_path / "forked.json")

    missing = routilux("fork", job.job_id, "--at", "999999", "--store", url, cwd=tmp_path)
    assert missing.returncode == 2 and "has no checkpoint 999999" in missing.stderr


def test_prune_from_the_cli(tmp_path):
    url = f"sqlite:///{tmp_path}/jobs.db"
    out = tmp_path / "approval.json"
    paused = routilux(
        "run",
        str(EXAMPLES / "approval.toml"),
        "--param",
        "title=x",
        "--param",
        f"output={out}",
        "--store",
        url,
        "--json",
        cwd=tmp_path,
    )
    paused_id = json.loads(paused.stdout)["job_id"]
    done = routilux(
        "run",
        str(EXAMPLES / "wordcount.toml"),
        "--param",
        f"input={EXAMPLES / 'alice.txt'}",
        "--param",
        f"output={tmp_path / 'out.json'}",
        "--store",
        url,
        "--json",
        cwd=tmp_path,
    )
    done_id = json.loads(done.stdout)["job_id"]

    bad = routilux("prune", "--status", "running", "--store", url, cwd=tmp_path)
    assert bad.returncode == 2 and "never running or pending" in bad.stderr
    assert routilux("prune", "--older-than", "soon", "--store", url, cwd=tmp_path).returncode == 2
    young = routilux("prune", "--older-than", "7d", "--store", url, cwd=tmp_path)
    assert young.returncode == 0 and "deleted 0 job(s)" in young.stdout
    dry = routilux("prune", "--dry-run", "--store", url, "--json", cwd=tmp_path)
    assert [j["job_id"] for j in json.loads(dry.stdout)["jobs"]] == [done_id]
    pruned = routilux("prune", "--store", url, cwd=tmp_path)
    assert pruned.returncode == 0 and f"deleted {done_id}" in pruned.stdout
    jobs = json.loads(routilux("jobs", "--store", url, "--json", cwd=tmp_path).stdout)
    assert [j["job_id"] for j in jobs] == [paused_id]
