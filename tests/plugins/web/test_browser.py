"""A person's view of `routilux serve`, in a real browser (Playwright + Debian's chromium).

Skipped where Playwright or the browser is missing, unless ROUTILUX_REQUIRE_BROWSER
is set (tox's ``web`` environment sets it, so CI cannot skip it silently). With
ROUTILUX_SCREENSHOTS=DIR the screenshots are also written there (the docs' images
are made this way).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

REQUIRED = bool(os.environ.get("ROUTILUX_REQUIRE_BROWSER"))
if not REQUIRED:
    pytest.importorskip("playwright", reason="playwright is not installed")

from playwright.sync_api import expect, sync_playwright  # noqa: E402
from servekit import TOKEN, Server, run_approval  # noqa: E402

from routilux import open_store  # noqa: E402

CHROMIUM = os.environ.get("ROUTILUX_CHROMIUM", "/usr/bin/chromium")
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium driven by Playwright, shared by the tests of this module."""
    if not shutil.which(CHROMIUM):
        if REQUIRED:
            pytest.fail(f"no browser at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"no browser at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


def screenshot(page: Any, tmp_path: pathlib.Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    target = os.environ.get("ROUTILUX_SCREENSHOTS")
    if target:
        shutil.copy(tmp_path / name, pathlib.Path(target) / name)


def test_answer_a_paused_approval_in_the_page(
    browser: Any, serve: Callable[..., Server], store_url: str, tmp_path: pathlib.Path
) -> None:
    server = serve()
    job_id = run_approval(store_url, tmp_path, "New laptop")  # another process
    context = browser.new_context(viewport={"width": 1100, "height": 720})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)

    page.goto(f"{server.url}/#token={TOKEN}")
    row = page.locator(f'#jobs tr[data-job-id="{job_id}"]')
    row.wait_for()
    assert row.get_attribute("data-status") == "paused"
    assert "#token" not in page.url  # the token left the address bar
    page.locator("#live.on").wait_for()
    screenshot(page, tmp_path, "serve-jobs.png")

    row.get_by_role("link").click()
    page.wait_for_url(f"**/jobs/{job_id}")
    page.locator('svg.flow-graph g[data-routine-id="ask"][data-status="waiting"]').wait_for()
    form = page.locator('form[data-pause-id="ask"]')
    form.wait_for()
    screenshot(page, tmp_path, "serve-job.png")

    form.get_by_role("button", name="answer").click()  # empty: checked in the page
    expect(form.locator(".field-error")).to_have_text("fill in: approved")
    with open_store(store_url) as store:
        assert store.load(job_id).status == "paused"

    form.locator('input[data-field="approved"]').fill("yes")
    form.get_by_role("button", name="answer").click()
    page.locator("#status.completed").wait_for()  # arrives by server-sent event
    page.locator('svg.flow-graph g[data-routine-id="record"][data-status="completed"]').wait_for()
    assert page.locator("#outputs tbody tr").count() == 0
    expect(page.locator("#history")).to_contain_text("APPROVED: New laptop")
    written = json.loads((tmp_path / "New_laptop.json").read_text())
    assert written["approved"] == "yes"
    context.close()


def test_an_answer_without_the_token_is_refused_and_changes_nothing(
    browser: Any, serve: Callable[..., Server], store_url: str, tmp_path: pathlib.Path
) -> None:
    server = serve()
    job_id = run_approval(store_url, tmp_path, "No token")
    with open_store(store_url) as store:
        before = store.load(job_id).serialize()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)

    page.goto(f"{server.url}/jobs/{job_id}")  # no #token=: this tab has none
    form = page.locator('form[data-pause-id="ask"]')
    form.locator('input[data-field="approved"]').fill("yes")
    with page.expect_response(f"**/api/jobs/{job_id}/answer") as answered:
        form.get_by_role("button", name="answer").click()
    assert answered.value.status == 401
    expect(form.locator(".field-error")).to_contain_text("Authorization: Bearer")
    assert page.locator("#token-form").is_visible()  # the page asks for the token

    status = page.evaluate(
        """async (url) => (await fetch(url, {method: "POST"})).status""",
        f"{server.url}/api/jobs/{job_id}/cancel",
    )
    assert status == 401
    with open_store(store_url) as store:
        assert store.load(job_id).serialize() == before
    context.close()
