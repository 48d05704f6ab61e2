"""JSON and text files written atomically, and JSON files read with clear errors.

Stored jobs (`JobState.save`, the file store) and user outputs (`io` routines)
are written through a temporary file, fsync and rename, so that a process killed
at any instant leaves the old file or the new one, never a torn one.
"""

from __future__ import annotations

import json
import os
from typing import Any

from .errors import JobFileNotFoundError, SerializationError, with_hint


def write_json_atomic(path: str, data: Any, private: bool = True) -> None:
    """Write `data` as JSON to `path` so that a crash leaves the old or the new file
    (see `write_text_atomic` for `private`)."""
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1), private)


def write_text_atomic(path: str, text: str, private: bool = True) -> None:
    """Write `text` to `path` through a temporary file, fsync and rename: a crash at
    any instant leaves the old or the new file, never a torn one.

    A `private` file is readable by its owner only (0600: stored jobs); otherwise
    the file gets the usual permissions for the process's umask (user outputs).
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    while True:
        tmp = os.path.join(directory, f".tmp-{os.urandom(6).hex()}")
        try:  # the kernel applies the umask to the mode given here
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def read_json_file(path: str) -> Any:
    """Read a JSON file; a missing or malformed file is a `RoutiluxError`."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise with_hint(
            JobFileNotFoundError(f"JobState file not found: {path}"),
            f"no file at {os.path.abspath(path)}; give the path JobState.save wrote",
        ) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # nested past reading
        raise SerializationError(f"{path} is not valid JSON: {exc}") from None
    except OSError as exc:  # a name too long, a directory, no permission...
        raise SerializationError(f"cannot read {path}: {exc.strerror or exc}") from None


__all__ = ["read_json_file", "write_json_atomic", "write_text_atomic"]
