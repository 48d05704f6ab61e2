"""The Python examples of README.md run as pasted into a script and print what they say.

README.md is the first thing a new user copies from, and unlike the pages under docs/ it is
not executed by the docs build: an example there that cannot run on its own (a bare `await`
at module level, a name it never defines) would only be found by a reader. Each ```python
block is written to a file and run in a fresh interpreter; the block's trailing `# ...`
comment lines are the output it promises.
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```$", README.read_text(encoding="utf-8"), re.S | re.M)


def promised_output(code: str) -> list[str]:
    """The comment lines that end a block: `# completed [...]` is what it prints."""
    promised: list[str] = []
    for line in reversed(code.rstrip().splitlines()):
        if not line.startswith("# "):
            break
        promised.insert(0, line[2:])
    return promised


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs_as_a_script(index, tmp_path):
    code = BLOCKS[index]
    script = tmp_path / f"readme_example_{index}.py"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"README example {index} failed:\n{code}\n{result.stderr}"
    promised = promised_output(code)
    assert promised, f"README example {index} does not say what it prints"
    assert result.stdout.splitlines() == promised
