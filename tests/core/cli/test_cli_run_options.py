"""`routilux run`: --checkpoint, the spec's checkpoint and executor_options keys, and
Ctrl-C, which leaves the job saved and resumable (exit 130, the resume command printed)."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from routilux import Flow, FlowSpecError, open_store
from routilux.cli import main

WAIT = 120

#: A script that registers a ``slow.ticks`` routine (emits `count` ticks; each tick
#: takes a moment and appends its number to `log`) and runs the routilux command.
SCRIPT = textwrap.dedent(
    """
    import pathlib, sys, time
    import routilux
    from routilux import Routine
    from routilux.cli import main
    from routilux.testing import plugin

    class Ticks(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.start)
            self.define_slot("input", handler=self.tick)
            self.define_event("tick", ["n"])

        def start(self, **kw):
            for n in range(self.get_config("count", 0)):
                self.emit("tick", n=n)

        def tick(self, n):
            log = pathlib.Path(self.get_config("log"))
            with log.open("a") as handle:
                handle.write(f"{n}\\n")
            time.sleep(0.02)

    class Plugin:
        @routilux.hookimpl
        def routilux_routines(self):
            return {"slow.ticks": Ticks}

    with plugin(Plugin()):
        sys.exit(main(sys.argv[1:]))
    """
)


def write_spec(directory: pathlib.Path, count: int) -> pathlib.Path:
    spec = directory / "ticks.toml"
    log = directory / "ticks.log"
    spec.write_text(
        'flow_id = "ticks"\nentry = "source"\nexecution_strategy = "concurrent"\n'
        "max_workers = 2\n"
        f'[routines.source]\ntype = "slow.ticks"\nconfig = {{ count = {count}, log = "{log}" }}\n'
        f'[routines.sink]\ntype = "slow.ticks"\nconfig = {{ log = "{log}" }}\n'
        '[[connections]]\nfrom = "source.tick"\nto = "sink.input"\n'
    )
    return spec


def routilux(tmp_path: pathlib.Path, *args: str) -> subprocess.Popen[str]:
    script = tmp_path / "cli.py"
    script.write_text(SCRIPT)
    return subprocess.Popen(
        [sys.executable, str(script), *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_saves_the_job_resumable_and_prints_the_resume_command(tmp_path):
    spec = write_spec(tmp_path, 300)
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    log = tmp_path / "ticks.log"
    child = routilux(tmp_path, "run", str(spec), "--store", url)
    deadline = time.monotonic() + WAIT
    while not (log.exists() and len(log.read_text().split()) >= 5):  # it is under way
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=WAIT)
    assert child.returncode == 130, (out, err)
    resume_lines = [line for line in out.splitlines() if line.startswith("resume with: ")]
    assert resume_lines, out
    command = resume_lines[0].removeprefix("resume with: ").split()
    assert command[:2] == ["routilux", "resume"] and "--store" in command
    job_id = command[2]
    with open_store(url) as store:
        saved = store.load(job_id)
    assert saved.status == "paused" and saved.pending_tasks
    done_before = len(log.read_text().split())
    assert done_before < 300

    resumed = routilux(tmp_path, *command[1:])
    out, err = resumed.communicate(timeout=WAIT)
    assert resumed.returncode == 0, (out, err)
    ticks = [int(n) for n in log.read_text().split()]
    assert sorted(ticks) == list(range(300))  # each tick once: nothing lost, nothing doubled
    with open_store(url) as store:
        assert store.load(job_id).status == "completed"


def test_run_checkpoint_flag_and_spec_key(tmp_path, capsys):
    spec = tmp_path / "w.toml"
    lines = tmp_path / "in.txt"
    lines.write_text("a\nb\n")
    spec.write_text(
        f'flow_id = "w"\nentry = "read"\ncheckpoint = "on_pause"\n'
        f'[routines.read]\ntype = "io.read_lines"\nconfig = {{ path = "{lines}" }}\n'
    )
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    assert Flow.from_file(str(spec)).checkpoint == "on_pause"
    # on_pause never saves a job that does not pause ...
    assert main(["run", str(spec), "--store", url]) == 0
    with open_store(url) as store:
        assert store.list() == []
    # ... and --checkpoint overrides the spec
    assert main(["run", str(spec), "--store", url, "--checkpoint", "every_activation"]) == 0
    with open_store(url) as store:
        assert [s.status for s in store.list()] == ["completed"]
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["run", str(spec), "--checkpoint", "always"])
    assert "invalid choice" in capsys.readouterr().err

    spec.write_text(spec.read_text().replace('"on_pause"', '"sometimes"'))
    with pytest.raises(FlowSpecError, match="checkpoint: must be one of on_pause"):
        Flow.from_file(str(spec))


def test_executor_options_reach_the_executor(tmp_path, routilux_plugin):
    import routilux

    made = []

    class Recording:
        runs_inline = False
        capacity = 1

        def __init__(self, max_workers=1, **options):
            made.append(options)
            self.inner = routilux.plugins.executors.ThreadExecutor(1)

        def start(self, source):
            self.inner.start(source)

        def shutdown(self, wait=True):
            self.inner.shutdown(wait)

    class Plugin:
        @routilux.hookimpl
        def routilux_executors(self):
            return {"recording": Recording}

    routilux_plugin(Plugin())
    spec = {
        "flow_id": "opts",
        "entry": "read",
        "execution_strategy": "recording",
        "executor_options": {"address": "tcp://127.0.0.1:8786", "threads": 2},
        "routines": {"read": {"type": "io.read_lines", "config": {"path": os.devnull}}},
    }
    flow = Flow.from_spec(spec)
    assert flow.to_spec()["executor_options"] == spec["executor_options"]
    with flow:
        assert flow.run("read", timeout=WAIT).status == "completed"
    assert made == [{"address": "tcp://127.0.0.1:8786", "threads": 2}]
    with pytest.raises(FlowSpecError, match="executor_options: must be a mapping"):
        Flow.from_spec({**spec, "executor_options": ["x"]})


def test_param_values_json_has_no_number_for_stay_text(tmp_path, capsys):
    # json.loads reads NaN, Infinity and 1e999 as floats, which no store can keep:
    # the job was lost with "metadata['params']['title']: nan is not a finite number"
    spec = tmp_path / "t.toml"
    out = tmp_path / "out.json"
    spec.write_text(
        'flow_id = "t"\nentry = "t"\n'
        '[routines.t]\ntype = "text.template"\nconfig = { template = "{{ params.title }}" }\n'
        '[routines.w]\ntype = "io.write_json"\nconfig = { path = "{{ params.out }}" }\n'
        '[[connections]]\nfrom = "t.output"\nto = "w.input"\n'
    )
    store = f"sqlite:///{tmp_path}/jobs.db"
    for title in ("NaN", "-Infinity", "1e999"):
        params = ["--param", f"title={title}", "--param", f"out={out}"]
        code = main(["run", str(spec), *params, "--store", store])
        assert code == 0, capsys.readouterr().err
        assert json.loads(out.read_text())["text"] == title
    assert main(["run", str(spec), "--param", "title", "--store", store]) == 2
    assert "--param 'title': give KEY=VALUE" in capsys.readouterr().err
