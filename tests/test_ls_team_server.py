"""A team project on a real Label Studio 1.23.2 server, and the labeling view in real Chromium.

`newsgold ls push --annotators N` sets up the overlap, the instructions and
what annotators see; `newsgold ls status` reports their progress; the view
is driven in headless Chromium: an entity drawn and its kb_id picked from the
list, a quote drawn and linked to its speaker and cue, submitted and pulled:
the pulled gold differs from what was pushed by exactly that. Screenshots of
the view go to docs/img/ (docs/annotation-project.md shows them).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgold import ls_client
from newsgold.cli import main
from newsgold.jsonio import document_to_json, dumps_json
from newsgold.labelstudio import from_export, labeling_config, to_results, to_task
from newsgold.validate import load_gold

pytestmark = pytest.mark.labelstudio

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORDS = {"annotator1@newsgold.test": "newsgold-pass-1"}


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def http() -> Iterator[Callable[[str, str, str, Any], Any]]:
    """Plain HTTP as a user: (method, path, token, json body) → response."""
    import httpx

    client = httpx.Client(timeout=60)

    def call(method: str, url: str, token: str, body: Any = None) -> Any:
        return client.request(method, url, headers={"Authorization": f"Token {token}"}, json=body)

    yield call
    client.close()


@pytest.fixture
def sdk() -> Iterator[Callable[[Any, str], Any]]:
    import httpx
    from label_studio_sdk import LabelStudio

    opened: list[httpx.Client] = []

    def make(server: Any, token: str) -> Any:
        opened.append(httpx.Client(timeout=60))
        return LabelStudio(base_url=server.url, api_key=token, httpx_client=opened[-1])

    yield make
    for h in opened:
        h.close()


def push(server: Any, title: str, *extra: str) -> tuple[int, str]:
    result = invoke(
        "ls", "push", "--url", server.url, "--api-key", server.token, "--project", title,
        "--no-progress", "--root", str(ROOT), *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip()), result.stderr


def test_team_project_overlap_instructions_and_status(
    ls_server: Any, tmp_path: Path, http: Any, sdk: Any
) -> None:
    """Two annotators each get every task, the guideline is the instructions, no gold is shown;
    a subset of the gold and a new text are pushed; status reports every state."""
    gold = load_gold(ROOT)
    a, b = sorted(gold.docs)[:2]
    new = tmp_path / "fresh_1.txt"
    new.write_text("Putin spoke in Moscow on Friday.", encoding="utf-8")
    project, err = push(
        ls_server, "team of two", "--annotators", "2", "--docs", f"{a},{b}", "--texts", str(new)
    )
    assert err.endswith(
        "team project: every task goes to 2 annotators; the gold is not shown (--as none); "
        "the guideline is shown before labeling\n"
        f"ok: pushed 3 tasks to project {project} at {ls_server.url}/projects/{project}\n"
    )
    admin = sdk(ls_server, ls_server.token)
    p = admin.projects.get(id=project)
    assert (p.maximum_annotations, p.overlap_cohort_percentage, p.show_instruction) == (
        2,
        100,
        True,
    )
    first_line = (
        (ROOT / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8").splitlines()[0]
    )
    assert p.expert_instruction.startswith(f"<h1>{first_line.lstrip('# ')}</h1>")
    with ls_client.Server(ls_server.url, ls_server.token) as server:
        exported = server.export(project)
    assert [(t["data"]["doc_id"], t["annotations"], t["predictions"]) for t in exported] == [
        (a, [], []), (b, [], []), ("fresh_1", [], []),
    ]  # fmt: skip
    ids = {t["data"]["doc_id"]: t["id"] for t in exported}

    # both annotators are offered work; one annotation does not take a task from the other
    for token in (ls_server.token, ls_server.token2):
        offered = http("GET", f"{ls_server.url}/api/projects/{project}/next", token)
        assert offered.status_code == 200, offered.text
    doc_a = gold.docs[a]
    result_a = to_results(doc_a.text, doc_a.entities, doc_a.dates, doc_a.quotes)
    sdk(ls_server, ls_server.token).annotations.create(id=ids[a], result=result_a)
    assert admin.tasks.get(id=ids[a]).is_labeled is False  # one of two
    offered = http("GET", f"{ls_server.url}/api/projects/{project}/next", ls_server.token2)
    assert offered.status_code == 200 and offered.json()["id"] == ids[a]  # overlap first
    sdk(ls_server, ls_server.token2).annotations.create(id=ids[a], result=result_a)
    assert admin.tasks.get(id=ids[a]).is_labeled is True
    # annotator 1 skips b; annotator 2 leaves a draft of it
    sdk(ls_server, ls_server.token).annotations.create(id=ids[b], result=[], was_cancelled=True)
    draft = http("POST", f"{ls_server.url}/api/tasks/{ids[b]}/drafts", ls_server.token2,
                 {"result": result_a[:1], "lead_time": 1.0})  # fmt: skip
    assert draft.status_code == 201, draft.text

    status = invoke(
        "ls", "status", "--url", ls_server.url, "--api-key", ls_server.token,
        "--project", str(project),
    )  # fmt: skip
    assert status.exit_code == 0, status.output
    rows = [line.split() for line in status.stdout.splitlines()]
    e1, e2 = ls_server.email, ls_server.email2
    assert rows == [
        ["task", "doc_id", e1, e2],
        [str(ids[a]), a, "submitted", "submitted"],
        [str(ids[b]), b, "skipped", "draft"],
        [str(ids["fresh_1"]), "fresh_1", "missing", "missing"],
        [],
        ["annotator", "submitted", "draft", "skipped", "missing"],
        [e1, "1", "0", "1", "1"],
        [e2, "1", "1", "0", "1"],
    ]


def test_gold_as_annotations_counts_towards_the_overlap(
    ls_server: Any, sdk: Any, http: Any
) -> None:
    """--as annotations with --annotators 1: the gold is one annotation, one annotator more."""
    doc = sorted(load_gold(ROOT).docs)[0]
    project, _ = push(
        ls_server, "gold shown", "--annotators", "1", "--as", "annotations", "--docs", doc
    )
    assert sdk(ls_server, ls_server.token).projects.get(id=project).maximum_annotations == 2
    offered = http("GET", f"{ls_server.url}/api/projects/{project}/next", ls_server.token2)
    assert offered.status_code == 200, offered.text
    # --as predictions: the gold is the pre-annotation the project shows
    project, _ = push(ls_server, "gold to correct", "--annotators", "2", "--as", "predictions",
                      "--docs", doc)  # fmt: skip
    p = sdk(ls_server, ls_server.token).projects.get(id=project)
    assert (p.maximum_annotations, p.model_version, p.show_collab_predictions) == (
        2, "newsgold-gold", True,
    )  # fmt: skip


def test_the_spacy_baseline_as_preannotations(ls_server: Any, sdk: Any) -> None:
    """The spaCy submission (OntoNotes labels) goes in through its scheme, named by its system_id."""
    sub = ROOT / "eval" / "submissions" / "spacy-sm"
    project, err = push(
        ls_server, "spacy pre-annotations", "--annotators", "2", "--predictions", str(sub)
    )
    assert "note: spacy-sm: set aside labels the gold does not annotate (scheme ontonotes): " in err
    p = sdk(ls_server, ls_server.token).projects.get(id=project)
    assert (p.model_version, p.show_collab_predictions) == ("spacy-sm", True)
    with ls_client.Server(ls_server.url, ls_server.token) as server:
        contents = from_export(server.export(project))
    assert {pr.model_version for c in contents for pr in c.predictions} == {"spacy-sm"}
    labels = {
        e.label for c in contents for pr in c.predictions for e in pr.prediction.entities or ()
    }
    assert "PER" in labels and "PERSON" not in labels
    assert all(c.annotations == () for c in contents)


# --------------------------------------------------------------------------- the view in Chromium

_FIND = """(word) => {
  for (const line of document.querySelectorAll('.lsf-richtext__line')) {
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const i = node.data.indexOf(word);
      if (i >= 0) {
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + word.length);
        const b = r.getBoundingClientRect();
        return {x: b.left, y: b.top, w: b.width, h: b.height};
      }
    }
  }
  return null;
}"""


class Clicks:
    """A page whose clicks and key presses are counted (what an annotator does by hand)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.count += 1

    def key(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1

    def drag(self, word: str) -> None:
        """Select a word with the mouse (one drag, counted as one click)."""
        box = self.page.evaluate(_FIND, word)
        assert box is not None, word
        y = box["y"] + box["h"] / 2
        self.page.mouse.move(box["x"] + 1, y)
        self.page.mouse.down()
        self.page.mouse.move(box["x"] + box["w"] / 2, y, steps=3)
        self.page.mouse.move(box["x"] + box["w"] - 1, y, steps=3)
        self.page.mouse.up()
        self.count += 1
        self.page.wait_for_timeout(300)

    def region(self, text: str) -> None:
        """Select a region by clicking it in the text."""
        self.click(f'.htx-highlight:text-is("{text}")')
        self.page.wait_for_timeout(300)


def assert_idle(page: Any) -> None:
    """No region and no label is selected: the next label click starts a new region."""
    page.wait_for_timeout(300)
    assert not page.locator(".lsf-label_selected").count(), "a label is still selected"


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box  # type: ignore[no-any-return]


@pytest.mark.browser
def test_the_labeling_view_in_chromium(ls_server: Any, tmp_path: Path) -> None:
    """Draw an entity and pick its kb_id from the list; draw a quote and its cue and link the
    speaker and the cue; submit; pull: the gold comes back with exactly that added.

    The screenshots go to tmp_path; with NEWSGOLD_UPDATE_GOLDEN=1 to docs/img/ (the docs').
    """
    img = IMG if os.environ.get("NEWSGOLD_UPDATE_GOLDEN") == "1" else tmp_path
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run scripts/setup-chromium.sh")
    from playwright.sync_api import sync_playwright

    gold = load_gold(ROOT)
    doc_id = "000_e9e65d9efa045d67"
    full = gold.docs[doc_id]
    (house,) = [e for e in full.entities if e.text == "White House"]
    (quote,) = [q for q in full.quotes if q.text == "diplomatic way"]
    assert quote.speaker == house.kb_id and quote.cue is not None
    pushed = replace(
        full,
        entities=tuple(e for e in full.entities if e != house),
        quotes=tuple(q for q in full.quotes if q != quote),
    )
    with ls_client.Server(ls_server.url, ls_server.token) as server:
        project, (task_id,) = server.push(
            "the labeling view", labeling_config(gold.kb),
            [to_task(pushed, gold.kb, annotations=[pushed])], progress=False,
        )  # fmt: skip
    img.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{ls_server.url}/user/login")
            page.fill("input[name=email]", ls_server.email)
            page.fill("input[name=password]", PASSWORDS[ls_server.email])
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{ls_server.url}/projects/{project}/data?task={task_id}")
            page.wait_for_selector(".lsf-richtext__line")
            page.wait_for_timeout(1000)
            ui = Clicks(page)

            # Every click and key an annotator makes is counted, typing search letters aside;
            # nothing is done behind the UI's back (no blur, no script).
            # The entity: label, drag, click it (select), open the list, type, pick,
            # click it again (closes the list and unselects it, ready for the next label).
            ui.click(".lsf-label__text:text-is('ORG')")
            ui.drag("White House")
            ui.region("White House")
            kb_list = ".newsgold-fields .htx-taxonomy >> visible=true"
            # the fields are beside the document, in view, level with the region's paragraph
            region = page.evaluate(_FIND, "White House")
            fields = _box(page, kb_list)
            document = _box(page, ".newsgold-document")
            assert fields["x"] >= document["x"] + document["width"], (fields, document)
            assert 0 <= fields["y"] and fields["y"] + fields["height"] <= 1000, fields
            assert region["y"] < 1000
            page.screenshot(path=str(img / "ls-region-fields.png"))
            ui.click(kb_list)
            search = page.locator(".htx-taxonomy-dropdown input >> visible=true")
            search.wait_for()
            page.wait_for_timeout(300)  # the list focuses its search box after opening
            search.type("white")  # typing: not counted
            page.wait_for_timeout(300)
            shown = page.locator(".htx-taxonomy-dropdown .ant-select-tree-title >> visible=true")
            assert shown.all_inner_texts() == ["White House · ORG · white-house"]
            page.screenshot(path=str(img / "ls-kb-list.png"))
            ui.click(".htx-taxonomy-dropdown .ant-select-tree-title:has-text('· white-house')")
            # the gold also accepts "the White House", typed as code-point offsets: an extra
            # field of this mention, not part of the count
            (alt,) = house.alternatives
            page.fill("input[name=alternatives] >> visible=true", f"{alt.start}-{alt.end}")
            page.keyboard.press("Enter")
            ui.region("White House")
            assert_idle(page)
            entity_clicks = ui.count

            # the quote: label, drag, click it, its kind, click it again; the cue: label, drag
            ui.count = 0
            ui.click(".lsf-label__text:text-is('QUOTE')")
            ui.drag("diplomatic way")
            ui.region("diplomatic way")
            ui.click(".newsgold-fields >> text=partial")
            ui.region("diplomatic way")
            assert_idle(page)
            ui.click(".lsf-label__text:text-is('CUE')")
            ui.drag("According to")
            assert_idle(page)
            quote_clicks = ui.count
            # speaker and cue: click the quote, Alt+R, click the name (then nothing is selected);
            # again for the cue
            ui.count = 0
            for target in ("White House", "According to"):
                ui.region("diplomatic way")
                ui.key("Alt+r")
                ui.click(f'.htx-highlight:text-is("{target}")')
                page.wait_for_timeout(300)
                assert_idle(page)
            link_clicks = ui.count
            # a region at the end of the long document: its fields are still beside it, in view
            page.click('.htx-highlight:text-is("A.C.")')  # scrolls it into view
            page.wait_for_timeout(500)
            region = page.evaluate(_FIND, "A.C.")
            fields = _box(page, kb_list)
            assert page.evaluate("() => document.querySelector('.lsf-main-content').scrollTop") > 0
            assert 0 <= region["y"] <= 1000, region
            assert fields["x"] >= document["x"] + document["width"], (fields, document)
            assert 0 <= fields["y"] and fields["y"] + fields["height"] <= 1000, fields
            page.screenshot(path=str(img / "ls-scrolled.png"))
            ui.region("A.C.")
            assert_idle(page)
            page.click("text=Relations")
            page.wait_for_timeout(300)
            page.screenshot(path=str(img / "ls-relations.png"))
            page.click("[data-testid=bottombar-update-button]")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
        finally:
            browser.close()
    # how many clicks each part took (docs/annotation-project.md states them)
    assert (entity_clicks, quote_clicks, link_clicks) == (6, 7, 6)

    out = tmp_path / "pulled"
    want = (ROOT / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8")
    give_up = time.monotonic() + 30
    while True:  # the update is asynchronous: poll the server rather than trust a wait
        result = invoke(
            "ls", "pull", "--url", ls_server.url, "--api-key", ls_server.token,
            "--project", str(project), "--out", str(out), "--root", str(ROOT),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        got = (out / f"{doc_id}.json").read_text(encoding="utf-8")
        if got != dumps_json(document_to_json(pushed)) or time.monotonic() > give_up:
            break
        time.sleep(1)
    # exactly that change: the pulled file is the gold, byte for byte (pushed without the two)
    if got != want:
        mine, theirs = json.loads(got), json.loads(want)
        diff = {
            layer: ([x for x in mine[layer] if x not in theirs[layer]],
                    [x for x in theirs[layer] if x not in mine[layer]])
            for layer in ("entities", "dates", "quotes")
        }  # fmt: skip
        pytest.fail(f"pulled gold differs (extra, missing): {diff}")


@pytest.mark.browser
def test_an_annotator_sees_the_guideline_first_and_no_gold(ls_server: Any, tmp_path: Path) -> None:
    """In the label stream of a team project the second annotator gets the guideline first,
    then the bare text: no region of the gold."""
    img = IMG if os.environ.get("NEWSGOLD_UPDATE_GOLDEN") == "1" else tmp_path
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run scripts/setup-chromium.sh")
    from playwright.sync_api import sync_playwright

    doc = sorted(load_gold(ROOT).docs)[0]
    project, _ = push(ls_server, "what annotators see", "--annotators", "2", "--docs", doc)
    title = (ROOT / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8").splitlines()[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{ls_server.url}/user/login")
            page.fill("input[name=email]", ls_server.email2)
            page.fill("input[name=password]", "newsgold-pass-2")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{ls_server.url}/projects/{project}/data?labeling=1")
            heading = page.locator(f"h1:text-is('{title.lstrip('# ')}')")
            heading.wait_for(timeout=30000)
            assert page.locator("h2:has-text('Ground rules')").count() == 1
            page.screenshot(path=str(img / "ls-instructions.png"))
            page.keyboard.press("Escape")
            page.wait_for_selector(".lsf-richtext__line")
            page.wait_for_timeout(1000)
            assert "Russian President Vladimir Putin" in page.inner_text(".newsgold-document")
            assert page.locator(".htx-highlight").count() == 0  # no gold region
        finally:
            browser.close()


@pytest.mark.browser
def test_fewer_clicks_with_select_after_creating(ls_server: Any) -> None:
    """Label Studio's setting "Select region after creating it" (once per browser: 3 clicks)
    saves the click that selects a new region: an entity with its kb_id takes 5, a quote with
    its kind 4. The annotation comes back as drawn."""
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run scripts/setup-chromium.sh")
    from playwright.sync_api import sync_playwright

    from newsgold.model import Document, Entity, Quote

    gold = load_gold(ROOT)
    text = "Putin said “we agree” in Moscow."
    blank = Document("clicks", text, "2021-12-30", "test")
    with ls_client.Server(ls_server.url, ls_server.token) as server:
        project, (task_id,) = server.push(
            "fewer clicks", labeling_config(gold.kb), [to_task(blank, gold.kb, annotations=[])],
            progress=False,
        )  # fmt: skip
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
            )
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{ls_server.url}/user/login")
                page.fill("input[name=email]", ls_server.email)
                page.fill("input[name=password]", PASSWORDS[ls_server.email])
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                page.goto(f"{ls_server.url}/projects/{project}/data?task={task_id}")
                page.wait_for_selector(".lsf-richtext__line")
                page.wait_for_timeout(1000)
                ui = Clicks(page)
                ui.click('button[aria-label="Settings"]')
                ui.click("label:has-text('Select region after creating it')")
                ui.key("Escape")
                setting_clicks = ui.count

                ui.count = 0
                ui.click(".lsf-label__text:text-is('PER')")
                ui.drag("Putin")  # the new region is selected: its fields are shown
                ui.click(".newsgold-fields .htx-taxonomy >> visible=true")
                search = page.locator(".htx-taxonomy-dropdown input >> visible=true")
                search.wait_for()
                page.wait_for_timeout(300)
                search.type("putin")
                page.wait_for_timeout(300)
                ui.click(
                    ".htx-taxonomy-dropdown .ant-select-tree-title:has-text('· vladimir-putin')"
                )
                ui.region("Putin")
                assert_idle(page)
                entity_clicks = ui.count

                ui.count = 0
                ui.click(".lsf-label__text:text-is('QUOTE')")
                ui.drag("we agree")
                ui.click(".newsgold-fields >> text=direct")
                ui.region("we agree")
                assert_idle(page)
                quote_clicks = ui.count
                page.click(
                    "[data-testid=bottombar-submit-button], [data-testid=bottombar-update-button], button[aria-label='Submit current annotation']"
                )
                page.wait_for_load_state("networkidle")
            finally:
                browser.close()
        give_up = time.monotonic() + 30
        while True:
            (task,) = server.export(project)
            if task["annotations"] or time.monotonic() > give_up:
                break
            time.sleep(0.5)
    assert (setting_clicks, entity_clicks, quote_clicks) == (3, 5, 4)
    q0 = text.index("we")
    (ann,) = from_export([task], kb=gold.kb)[0].annotations
    assert ann.document == Document(
        "clicks", text, "2021-12-30", "test",
        entities=(Entity(0, 5, "Putin", "PER", "vladimir-putin"),),
        quotes=(Quote(q0, q0 + 8, "we agree", "direct"),),
    )  # fmt: skip


def _relation_rows(page: Any) -> list[tuple[tuple[int, str], tuple[int, str]]]:
    """The Relations list as Label Studio shows it: per row, each end's region number and label."""
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.lsf-relations__item')].map(row =>
          [...row.querySelectorAll('.lsf-detailed-region')].map(r => [
            r.querySelector('.lsf-detailed-region__index_value').textContent,
            r.querySelector('.lsf-labels-list').textContent,
            r.textContent,
          ]))"""
    )
    out = []
    for (i1, l1, all1), (i2, l2, all2) in rows:
        # nothing else is in a row: no region text, no note (the limitation documented)
        assert (all1, all2) == (i1 + l1, i2 + l2), (all1, all2)
        out.append(((int(i1), l1), (int(i2), l2)))
    return out


def _regions_list(page: Any) -> dict[int, tuple[str, str]]:
    """The Regions list, scrolled through (it renders only the rows in view): number → (label, text)."""
    seen: dict[int, tuple[str, str]] = {}
    for _ in range(200):
        rows = page.evaluate(
            """() => [...document.querySelectorAll('.lsf-outliner-item')].map(r => [
              r.querySelector('.lsf-outliner-item__index')?.textContent,
              r.querySelector('.lsf-labels-list')?.textContent,
              r.querySelector('.lsf-outliner-item__text')?.textContent])"""
        )
        before = len(seen)
        for index, label, text in rows:
            if index:
                seen[int(index)] = (label, text)
        moved = page.evaluate(
            """() => { const l = document.querySelector('.lsf-tree-list-holder');
              if (!l) return false; const top = l.scrollTop; l.scrollTop += 300;
              return l.scrollTop !== top; }"""
        )
        page.wait_for_timeout(150)
        if not moved and len(seen) == before:
            break
    return seen


@pytest.mark.browser
def test_relations_read_with_their_text(ls_server: Any, tmp_path: Path) -> None:
    """Label Studio's Relations list shows each end of a relation as its region number and
    label only ("68 QUOTE → 17 PER"): checked in the DOM. The Regions list shows the same
    numbers with each region's text, so every relation reads with its text through it: the
    pairs read in the browser are exactly the pushed gold's speaker and cue links."""
    img = IMG if os.environ.get("NEWSGOLD_UPDATE_GOLDEN") == "1" else tmp_path
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run scripts/setup-chromium.sh")
    from playwright.sync_api import sync_playwright

    gold = load_gold(ROOT)
    doc = gold.docs["000_e9e65d9efa045d67"]
    results = to_results(doc.text, doc.entities, doc.dates, doc.quotes)
    spans = {r["id"]: r["value"]["text"] for r in results if r["type"] == "labels"}
    want = sorted(
        (spans[r["from_id"]], spans[r["to_id"]]) for r in results if r["type"] == "relation"
    )
    ryabkov = (
        "Russian Deputy Foreign Minister Sergei Ryabkov and US Deputy Secretary of State "
        "Wendy Sherman will lead security talks in Geneva"
    )
    assert (ryabkov, "announced") in want
    with ls_client.Server(ls_server.url, ls_server.token) as server:
        project, (task_id,) = server.push(
            "relations with text", labeling_config(gold.kb),
            [to_task(doc, gold.kb, annotations=[doc])], progress=False,
        )  # fmt: skip
    img.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{ls_server.url}/user/login")
            page.fill("input[name=email]", ls_server.email)
            page.fill("input[name=password]", PASSWORDS[ls_server.email])
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{ls_server.url}/projects/{project}/data?task={task_id}")
            page.wait_for_selector(".lsf-richtext__line")
            page.wait_for_timeout(1000)
            regions = _regions_list(page)
            page.get_by_text("Relations", exact=True).first.click()  # the tab
            page.wait_for_timeout(500)
            rows = _relation_rows(page)
            # hovering a row marks both its regions in the text: here the quote and its cue
            (row,) = [
                i for i, ((a, _), (b, _)) in enumerate(rows)
                if (regions[a][1], regions[b][1]) == (ryabkov, "announced")
            ]  # fmt: skip
            page.locator('.htx-highlight:text-is("announced")').first.scroll_into_view_if_needed()
            page.locator(".lsf-relations__item").nth(row).hover()
            page.wait_for_timeout(500)
            marked = page.evaluate(
                """() => [...document.querySelectorAll('.htx-highlight.__highlighted')]
                  .filter(e => !e.parentElement.closest('.__highlighted'))
                  .map(e => e.textContent).join('|')"""
            )
            page.screenshot(path=str(img / "ls-relation-hover.png"))
            # Label Studio's setting "Show region labels" writes each region's number and
            # label beside it in the text: the numbers of the Relations list, found in the text
            numbers = """() => Object.fromEntries([...document.querySelectorAll(
                '.htx-highlight[data-index]')].map(e =>
                  [e.dataset.index, [getComputedStyle(e, '::after').content,
                                     getComputedStyle(e, '::after').display === 'none']]))"""
            before = page.evaluate(numbers)
            page.mouse.move(700, 500)
            page.click('button[aria-label="Settings"]')
            page.click("label:has-text('Show region labels')")
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
            after = page.evaluate(numbers)
            page.screenshot(path=str(img / "ls-region-numbers.png"))
        finally:
            browser.close()
    assert len(regions) == len(spans), (len(regions), len(spans))
    assert len(rows) == len(want)
    got = sorted((regions[a][1], regions[b][1]) for (a, _), (b, _) in rows)
    assert got == want
    # the labels in a row are those of the Regions list's rows of the same number
    assert all(regions[a][0] == la and regions[b][0] == lb for (a, la), (b, lb) in rows)
    assert marked.replace("|", "") == "announced" + ryabkov, marked
    # without the setting no number in the text; with it, every end of every relation row
    # has its "number:label" beside its text
    assert all(hidden for _, hidden in before.values())
    for end in (x for pair in rows for x in pair):
        assert after[str(end[0])] == [f'"{end[0]}:{end[1]}"', False], (end, after[str(end[0])])
