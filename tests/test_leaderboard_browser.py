"""The board page in a real browser: Debian's headless Chromium driven by Playwright.

Chromium comes from the Debian package (scripts/setup-chromium.sh, run by
scripts/test.sh); Playwright's own browser download cannot work here, so the
browser is launched by ``executable_path``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main

from .test_leaderboard import hostile_submissions

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def board_dir(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The board of the bundled submissions plus a malicious and a broken one (--allow-invalid)."""
    base = tmp_path_factory.mktemp("browser")
    subs = hostile_submissions(root, base)
    out = base / "out"
    result = CliRunner().invoke(
        main,
        [
            "leaderboard",
            "--submissions",
            str(subs),
            "--out",
            str(out),
            "--root",
            str(root),
            "--allow-invalid",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), (
        "no /usr/bin/chromium: run scripts/setup-chromium.sh (apt-get install chromium)"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def rows(page: object, layer: str) -> list[str]:
    """The system ids of a layer's table, in displayed order."""
    return page.eval_on_selector_all(  # type: ignore[attr-defined, no-any-return]
        f"#board-{layer} tbody tr", "rs => rs.map(r => r.getAttribute('data-system'))"
    )


def test_board_page(board_dir: Path, browser: object, tmp_path: Path) -> None:
    """One row per valid submission, sorting by header click, the injected script never ran, no console errors."""
    board = json.loads((board_dir / "leaderboard.json").read_text())
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.goto((board_dir / "index.html").as_uri())

    # one row per valid submission predicting the layer; the broken one is listed as invalid, not ranked
    taking = {
        layer: sorted(s for s, sub in board["submissions"].items() if layer in sub["layers"])
        for layer in ("entities", "dates", "quotes")
    }
    bundled = sorted(
        p.parent.name
        for p in (ROOT / "eval" / "submissions").glob("*/submission.json")
        if "dates" in json.loads(p.read_text())["layers"]
    )
    assert taking["dates"] == sorted([*bundled, "evil"])
    for layer, ids in taking.items():
        assert sorted(rows(page, layer)) == ids, layer
        assert rows(page, layer) == [r["system_id"] for r in board["layers"][layer]["rows"]]
    assert "broken" in page.inner_text("#invalid")

    # clicking "system" sorts by id, again reverses; clicking a figure sorts by it, best first
    ranked = rows(page, "dates")
    assert ranked != sorted(ranked)
    page.click("#board-dates thead th:nth-child(2)")
    assert rows(page, "dates") == sorted(ranked)
    page.click("#board-dates thead th:nth-child(2)")
    assert rows(page, "dates") == sorted(ranked, reverse=True)
    page.click("#board-dates thead th:has-text('strict F1')")
    by_strict = sorted(
        board["layers"]["dates"]["rows"],
        key=lambda r: (-r["figures"]["strict.f1"]["value"], r["system_id"]),
    )
    shown = rows(page, "dates")
    values = [
        next(r for r in by_strict if r["system_id"] == s)["figures"]["strict.f1"]["value"]
        for s in shown
    ]
    assert values == sorted(values, reverse=True)
    assert (
        page.get_attribute("#board-dates thead th:has-text('strict F1')", "aria-sort")
        == "descending"
    )

    # the malicious name and description are shown as text, and nothing they hold ever ran
    assert "<script>window.__pwned=1</script>" in page.inner_text("#board-dates")
    page.hover("#board-dates tr[data-system=evil] td.sys")
    page.hover("#system-evil")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('img').length") == 0

    # the error report links resolve to files beside the page
    for href in page.eval_on_selector_all(
        "a[href^='reports/']", "as => as.map(a => a.getAttribute('href'))"
    ):
        assert (board_dir / href).is_file(), href

    shot = tmp_path / "leaderboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert console == []
    page.close()
