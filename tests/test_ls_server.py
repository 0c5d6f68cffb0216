"""Integration tests against a real Label Studio 1.23.2 server on 127.0.0.1 (one per session).

The server comes from scripts/setup-label-studio.sh (its own virtual environment,
outside the repository) and is started by the ``ls_server`` fixture of
tests/ls_server.py, which stops it at the end of the session.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgold import ls_client
from newsgold.cli import main
from newsgold.convert.label_studio import (
    from_export,
    from_task,
    labeling_config,
    to_results,
    to_task,
)
from newsgold.jsonio import document_to_json, dumps_json, prediction_to_json
from newsgold.labelstudio import client
from newsgold.model import Date, Document, Entity, Gold, KBEntry, Prediction, Quote, Span
from newsgold.validate import load_gold

# tests/ls_server.py, loaded once by conftest.py (which provides the session's `ls_server`)
_module = sys.modules["newsgold_tests_ls_server"]
LabelStudioServer = _module.LabelStudioServer
free_port = _module.free_port

pytestmark = pytest.mark.labelstudio

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def clients() -> Iterator[Callable[[Any, str], Any]]:
    """SDK clients as an annotator's browser session would use them; closed after the test."""
    import httpx
    from label_studio_sdk import LabelStudio

    opened: list[httpx.Client] = []

    def make(server: Any, token: str) -> Any:
        http = httpx.Client(timeout=60)
        opened.append(http)
        return LabelStudio(base_url=server.url, api_key=token, httpx_client=http)

    yield make
    for http in opened:
        http.close()


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def push(server: Any, title: str, *extra: str, progress: bool = False) -> int:
    result = invoke(
        "ls", "push", "--url", server.url, "--api-key", server.token, "--project", title,
        *(() if progress else ("--no-progress",)), "--root", str(ROOT), *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    project = int(result.stdout.strip())
    assert result.stderr.endswith(
        f"ok: pushed 5 tasks to project {project} at {server.url}/projects/{project}\n"
    )
    return project


def pull(server: Any, project: int, out: Path, *extra: str, key: str | None = None) -> Any:
    return invoke(
        "ls", "pull", "--url", server.url, "--api-key", key or server.token,
        "--project", str(project), "--out", str(out), "--root", str(ROOT), *extra,
    )  # fmt: skip


def tasks_by_doc(client: Any, project: int) -> dict[str, int]:
    return {t.data["doc_id"]: int(t.id) for t in client.tasks.list(project=project)}


def gold_files() -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted((ROOT / "annotations").glob("*.json"))
        if p.name != "kb.json"
    }


def test_gold_round_trip_is_byte_identical(ls_server: Any, tmp_path: Path, clients: Any) -> None:
    """The five gold documents go to the server as annotations and come back as the same bytes."""
    project = push(ls_server, "gold round trip", progress=True)
    stored = clients(ls_server, ls_server.token).projects.get(id=project)
    assert stored.label_config.strip() == labeling_config(load_gold(ROOT).kb).strip()
    result = pull(ls_server, project, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"ok: wrote 5 gold files to {tmp_path / 'out'}\n"
    pulled = {p.name: p.read_bytes() for p in sorted((tmp_path / "out").iterdir())}
    assert pulled == gold_files()


def _system_predictions() -> list[Prediction]:
    """A plausible system: the gold minus the last entity of each document, with scores
    (and without the gold's alternatives: a prediction gives one extent per span)."""
    gold = load_gold(ROOT)
    out = []
    for doc in gold.docs.values():
        ents = tuple(
            replace(e, score=round(0.5 + 0.01 * (i % 50), 2), alternatives=())
            for i, e in enumerate(doc.entities)
        )[:-1]
        dates = tuple(replace(d, score=0.75, alternatives=()) for d in doc.dates)
        out.append(Prediction(doc.doc_id, ents, dates, doc.quotes))
    return out


def test_predictions_as_preannotations_accepted_and_pulled(
    ls_server: Any, tmp_path: Path, clients: Any
) -> None:
    """Pre-annotations keep model_version and scores; accepting them yields exactly them as gold."""
    preds = _system_predictions()
    pred_file = tmp_path / "toy-system-v1.jsonl"
    pred_file.write_text(
        "".join(json.dumps(prediction_to_json(p), ensure_ascii=False) + "\n" for p in preds),
        encoding="utf-8",
    )
    project = push(
        ls_server, "pre-annotations", "--as", "predictions", "--predictions", str(pred_file)
    )
    client = clients(ls_server, ls_server.token)

    # the export snapshot carries the full predictions, region scores and model version included
    with ls_client.Server(ls_server.url, ls_server.token) as server:
        exported = server.export(project)
    contents = {c.doc_id: c for c in from_export(exported)}
    for p in preds:
        (got,) = contents[p.doc_id].predictions
        assert got.model_version == "toy-system-v1"
        assert got.prediction == p
        assert [e.score for e in got.prediction.entities or ()] == [
            e.score for e in p.entities or ()
        ]
        assert got.score == pytest.approx(
            sum(x.score for x in (*(p.entities or ()), *(p.dates or ())))
            / (len(p.entities or ()) + len(p.dates or ()))
        )
        assert contents[p.doc_id].annotations == ()

    # accept: create each task's annotation from its prediction, as the UI's "accept" does
    for task_id in tasks_by_doc(client, project).values():
        (prediction,) = client.predictions.list(task=task_id)
        client.annotations.create(
            id=task_id, result=prediction.result, parent_prediction=prediction.id,
            was_cancelled=False, lead_time=1.0,
        )  # fmt: skip
    result = pull(ls_server, project, tmp_path / "out")
    assert result.exit_code == 0, result.output
    gold = load_gold(ROOT)
    for p in preds:
        expected = Document(
            p.doc_id, gold.docs[p.doc_id].text, gold.docs[p.doc_id].dct,
            gold.docs[p.doc_id].dct_reason, p.entities or (), p.dates or (), p.quotes or (),
        )  # fmt: skip
        written = (tmp_path / "out" / f"{p.doc_id}.json").read_text(encoding="utf-8")
        assert written == dumps_json(document_to_json(expected))


def _second_pass_in_project_kb() -> dict[str, Document]:
    """The blind second pass; its KB names one entity differently, mapped to the project's slug."""
    second = load_gold(ROOT, ROOT / "annotations" / "second_pass")
    rename = {"russia-nato-council": "nato-russia-council"}
    out = {}
    for doc_id, doc in second.docs.items():
        ents = tuple(replace(e, kb_id=rename.get(e.kb_id or "", e.kb_id)) for e in doc.entities)
        quotes = tuple(
            replace(q, speaker=rename.get(q.speaker or "", q.speaker)) for q in doc.quotes
        )
        out[doc_id] = replace(doc, entities=ents, quotes=quotes)
    return out


def test_second_annotator_pulled_apart_and_scored(
    ls_server: Any, tmp_path: Path, clients: Any
) -> None:
    """Two annotators on one project: pulled into two folders, and their agreement computed."""
    project = push(ls_server, "two annotators")
    second = _second_pass_in_project_kb()
    client2 = clients(ls_server, ls_server.token2)
    gold = load_gold(ROOT)
    for doc_id, task_id in tasks_by_doc(client2, project).items():
        # the second annotator's own regions, and own DCT reason in the document-level text area
        task = to_task(gold.docs[doc_id], gold.kb, annotations=[second[doc_id]])
        client2.annotations.create(id=task_id, result=task["annotations"][0]["result"])

    mixed = pull(ls_server, project, tmp_path / "mixed")
    assert mixed.exit_code == 1
    assert re.search(
        r"task \d+ \(000_e9e65d9efa045d67\): 2 annotations \(by annotator1@newsgold.test, "
        r"annotator2@newsgold.test; expected one: choose with --annotator, or keep them apart "
        r"with --by-annotator\)",
        mixed.stderr,
    ), mixed.stderr
    assert not (tmp_path / "mixed").exists()  # every task has two: none can be written

    result = pull(ls_server, project, tmp_path / "apart", "--by-annotator")
    assert result.exit_code == 0, result.output
    first_dir = tmp_path / "apart" / ls_server.email
    second_dir = tmp_path / "apart" / ls_server.email2
    assert {p.name: p.read_bytes() for p in sorted(first_dir.iterdir())} == gold_files()
    for doc_id, doc in second.items():
        assert (second_dir / f"{doc_id}.json").read_text(encoding="utf-8") == dumps_json(
            document_to_json(doc)
        )

    only2 = pull(ls_server, project, tmp_path / "only2", "--annotator", ls_server.email2)
    assert only2.exit_code == 0, only2.output
    assert sorted(p.name for p in (tmp_path / "only2").iterdir()) == sorted(gold_files())

    # scored with `newsgold agree`: the agreement of the pulled folders is that of the sets pushed
    from newsgold.scoring import agree

    scored = invoke(
        "agree", str(first_dir), str(second_dir), "--json", "-", "--bootstrap", "20",
        "--root", str(ROOT),
    )  # fmt: skip
    assert scored.exit_code == 0, scored.output
    (pulled,) = json.loads(scored.stdout)["pairs"]
    direct = agree(gold, Gold(second, gold.kb), n_bootstrap=20).to_json()
    for layer in ("entities", "dates", "quotes"):
        assert pulled["report"][layer] == direct[layer]
        assert pulled["f1"][layer] == direct[layer]["strict"]["f1"]
    assert pulled["report"]["entities"] != pulled["report"]["dates"]  # really scored


def test_offsets_are_code_points_through_the_server(ls_server: Any) -> None:
    """An emoji (two UTF-16 units) and a Hebrew (right-to-left) word before the spans."""
    text = "שלום 👋 Putin said “we ✌ agree” in Moscow."
    putin = text.index("Putin")
    said = text.index("said")
    q0, q1 = text.index("we"), text.index("agree") + len("agree")
    moscow = text.index("Moscow")
    doc = Document(
        "emoji_rtl",
        text,
        "2021-12-30",
        "test",
        entities=(
            Entity(putin, putin + 5, "Putin", "PER", "vladimir-putin"),
            Entity(moscow, moscow + 6, "Moscow", "GPE", "moscow"),
        ),
        quotes=(
            Quote(q0, q1, text[q0:q1], "direct", "vladimir-putin", Span(said, said + 4, "said")),
        ),
    )
    with ls_client.Server(ls_server.url, ls_server.token) as server:
        project, _ = server.push(
            "emoji and rtl", labeling_config(), [to_task(doc, ())], progress=False
        )
        (task,) = server.export(project)
    (result,) = [
        r
        for r in task["annotations"][0]["result"]
        if r.get("from_name") == "entity" and r["value"]["text"] == "Moscow"
    ]
    # code points: 'Moscow' starts at str.index; in UTF-16 units it would be 1 further (the emoji)
    assert result["value"]["start"] == moscow
    assert len(text[:moscow].encode("utf-16-le")) // 2 == moscow + 1
    assert from_task(task).annotations[0].document == doc


def test_server_down_wrong_key_unknown_project(
    ls_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each failure is one line, exit 1, and no file is written."""
    monkeypatch.setattr(client, "BACKOFF", 0.01)
    out = tmp_path / "out"
    port = free_port()
    down = invoke(
        "ls",
        "pull",
        "--url",
        f"http://127.0.0.1:{port}",
        "--api-key",
        "x",
        "--project",
        "1",
        "--out",
        str(out),
    )
    assert down.exit_code == 1
    assert down.stderr == (
        f"error: cannot reach Label Studio at http://127.0.0.1:{port}: connection refused "
        "(after 4 attempts) (is the server running, and is the URL right?)\n"
    )
    wrong = pull(ls_server, 1, out, key="not-a-token")
    assert wrong.exit_code == 1
    assert wrong.stderr == (
        f"error: Label Studio at {ls_server.url} refused the API key (401 Invalid token.): "
        "pass a user's token with --api-key (Account & Settings in the UI)\n"
    )
    unknown = pull(ls_server, 99999, out)
    assert unknown.exit_code == 1
    assert unknown.stderr == (
        f"error: no project 99999 on Label Studio at {ls_server.url} "
        "(expected the id shown in the project's URL, /projects/<id>)\n"
    )
    push_down = invoke(
        "ls", "push", "--url", f"http://127.0.0.1:{port}", "--api-key", "x", "--root", str(ROOT),
    )  # fmt: skip
    assert push_down.exit_code == 1 and push_down.stderr.startswith("error: cannot reach")
    assert not out.exists()


def test_bad_annotation_from_the_ui_is_refused_alone(
    ls_server: Any, tmp_path: Path, clients: Any
) -> None:
    """The server accepts a wrong kb_id and a dangling relation; the pull names them (task,
    annotator, result) and writes the four other documents."""
    project = push(ls_server, "bad annotation", "--as", "predictions")
    client = clients(ls_server, ls_server.token)
    gold = load_gold(ROOT)
    ids = tasks_by_doc(client, project)
    for doc_id, task_id in ids.items():
        d = gold.docs[doc_id]
        result = to_results(d.text, d.entities, d.dates, d.quotes)
        if doc_id.startswith("002"):
            for r in result:
                if r.get("id") == "ent-0" and r["from_name"] == "kb_id":
                    r["value"]["taxonomy"] = [["nobody-known"]]
            result.append(
                {
                    "type": "relation",
                    "from_id": "quote-0",
                    "to_id": "ent-999",
                    "direction": "right",
                    "labels": ["speaker"],
                }
            )
        client.annotations.create(id=task_id, result=result)
    out = tmp_path / "out"
    res = pull(ls_server, project, out)
    assert res.exit_code == 1
    task = ids["002_7dc57ecce207a157"]
    lines = res.stderr.splitlines()
    who = f"annotator {ls_server.email}"
    assert any(
        f"task {task}, {who}: relation quote-0 -> ent-999 points to no region 'ent-999'" in ln
        for ln in lines
    ), lines
    assert any(
        f"task {task}, {who}, result 'ent-0': $.entities[0].kb_id: unknown kb_id 'nobody-known'"
        in ln
        for ln in lines
    ), lines
    assert lines[-1] == "2 problems in 1 file"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        name for name in gold_files() if not name.startswith("002")
    )

    taken = invoke(
        "ls", "push", "--url", ls_server.url, "--api-key", ls_server.token, "--project",
        "bad annotation", "--root", str(ROOT),
    )  # fmt: skip
    assert taken.exit_code == 1
    assert taken.stderr == (
        f"error: a project titled 'bad annotation' already exists on {ls_server.url} "
        f"(id {project}); pick another --project title\n"
    )


CHROMIUM = Path("/usr/bin/chromium")
_SELECT_WORD = """(word) => {
  const line = document.querySelector('.lsf-richtext__line');
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
  return null;
}"""


def _drag_over(page: Any, word: str) -> None:
    """Select a word with the mouse, as a person does."""
    box = page.evaluate(_SELECT_WORD, word)
    assert box is not None, word
    y = box["y"] + box["h"] / 2
    page.mouse.move(box["x"] + 1, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] / 2, y, steps=3)
    page.mouse.move(box["x"] + box["w"] - 1, y, steps=3)
    page.mouse.up()


def pick_kb_id(page: Any, kb_id: str) -> None:
    """Open the selected entity's kb_id list, search it, and pick the entry (then close it)."""
    page.click(".newsgold-fields .htx-taxonomy >> visible=true")
    search = page.locator(".htx-taxonomy-dropdown input >> visible=true")
    search.wait_for()
    page.wait_for_timeout(300)  # the list focuses its search box after opening
    search.fill(kb_id)
    page.click(
        f".htx-taxonomy-dropdown .ant-select-tree-title:has-text('· {kb_id}') >> visible=true"
    )
    page.keyboard.press("Escape")  # closes the list
    unselect(page)


def unselect(page: Any) -> None:
    """Unselect the region (and with it the labels it showed), as Escape does outside a field."""
    for _ in range(10):
        page.wait_for_timeout(300)  # the list gives the focus back to its box when it closes
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        if not page.locator(".lsf-label_selected").count():
            return
    raise AssertionError("the region stays selected")


def _new_region(page: Any, label: str, word: str) -> None:
    """Click the label, drag over the word, then select the new region (its fields appear)."""
    page.click(f".lsf-label__text:text-is('{label}')")
    _drag_over(page, word)
    page.wait_for_timeout(300)
    page.click(f'.lsf-outliner-item__text:text-is("{word}")')
    page.wait_for_timeout(300)


@pytest.mark.browser
def test_one_annotation_in_the_ui_with_the_config(ls_server: Any) -> None:
    """A person's annotation in the real UI (headless Chromium): code points, every field, relations.

    The text starts with a Hebrew (right-to-left) word and an emoji (two UTF-16
    units), so an editor counting UTF-16 units would put every span one further.
    """
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run scripts/setup-chromium.sh")
    from playwright.sync_api import sync_playwright

    text = "שלום 👋 Putin said “we agree” in Moscow around Thursday."
    kb = (
        KBEntry("moscow", "Moscow", "GPE", ("Moscow",)),
        KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
    )
    blank = Document("ui_doc", text, "2021-12-30", "test")
    with ls_client.Server(ls_server.url, ls_server.token) as server:
        project, (task_id,) = server.push(
            "one annotation in the UI", labeling_config(kb), [to_task(blank, kb, annotations=[])],
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
                page.fill("input[name=password]", "newsgold-pass-1")
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                page.goto(f"{ls_server.url}/projects/{project}/data?task={task_id}")
                page.wait_for_selector(".lsf-richtext__line")
                for label, word, kb_id in (
                    ("PER", "Putin", "vladimir-putin"),
                    ("GPE", "Moscow", "moscow"),
                ):
                    _new_region(page, label, word)
                    assert page.locator("input[name=alternatives]").is_visible()
                    pick_kb_id(page, kb_id)
                _new_region(page, "DATE", "Thursday")
                page.fill("input[name=date_value]", "2021-12-30")
                page.keyboard.press("Enter")
                # an accepted alternative extent, typed as start-end code points
                around = text.index("around Thursday")
                page.fill("input[name=alternatives]", f"{around}-{around + 15}")
                page.keyboard.press("Enter")
                page.click("text=APPROX")
                page.keyboard.press("Escape")
                _new_region(page, "QUOTE", "we agree")
                # alternatives belong to entities and dates only: no box for a quote
                assert not page.locator("input[name=alternatives]").is_visible()
                page.click("text=direct")
                page.keyboard.press("Escape")
                _new_region(page, "CUE", "said")
                page.keyboard.press("Escape")
                for target in ("Putin", "said"):  # relations from the quote
                    page.click('.lsf-outliner-item__text:text-is("we agree")')
                    page.click('button[aria-label="Create Relation"]')
                    page.click(f'.htx-highlight:text-is("{target}")')
                    page.wait_for_timeout(300)
                page.keyboard.press("Escape")
                page.click("text=Relations")
                for n, label in ((0, "speaker"), (1, "cue")):
                    page.hover(f".lsf-relations__item >> nth={n}")
                    page.click(
                        f'.lsf-relations__item >> nth={n} >> button[aria-label="Show Relation Labels"]'
                    )
                    page.click(".lsf-relation-meta >> text=Select labels")
                    page.click(f"[role=option]:has-text('{label}')")
                    page.keyboard.press("Escape")
                page.click('button[aria-label="Submit current annotation"]')
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1000)
            finally:
                browser.close()
        # the submit is asynchronous: poll the server rather than trust a fixed wait
        give_up = time.monotonic() + 30
        while True:
            (task,) = server.export(project)
            if task["annotations"] or time.monotonic() > give_up:
                break
            time.sleep(0.5)

    putin, moscow, said = text.index("Putin"), text.index("Moscow"), text.index("said")
    thursday = text.index("Thursday")
    quote = (text.index("we"), text.index("agree") + 5)
    labels = {
        r["value"]["text"]: (r["value"]["start"], r["value"]["end"])
        for r in task["annotations"][0]["result"]
        if r.get("type") == "labels"
    }
    # the editor itself stored code points: 'Putin' starts at 7, not at 8 (UTF-16 units)
    assert labels == {"Putin": (7, 12), "Moscow": (moscow, moscow + 6), "said": (said, said + 4),
                      "we agree": quote, "Thursday": (thursday, thursday + 8)}  # fmt: skip
    assert putin == 7 and len(text[:putin].encode("utf-16-le")) // 2 == 8
    expected = Document(
        "ui_doc", text, "2021-12-30", "test",
        entities=(Entity(putin, putin + 5, "Putin", "PER", "vladimir-putin"),
                  Entity(moscow, moscow + 6, "Moscow", "GPE", "moscow")),
        dates=(Date(thursday, thursday + 8, "Thursday", "DATE", "2021-12-30", "APPROX",
                    alternatives=(Span(thursday - 7, thursday + 8, "around Thursday"),)),),
        quotes=(Quote(*quote, "we agree", "direct", "vladimir-putin", Span(said, said + 4, "said")),),
    )  # fmt: skip
    (annotation,) = from_task(task, kb=kb).annotations
    assert annotation.document == expected
    assert annotation.annotator == ls_server.email


def test_transient_errors_are_retried_with_backoff() -> None:
    """HTTP 503 twice, then an answer: two retries, waiting 0.5 s then 1 s (recorded, not slept).

    The flaky server is a local stand-in: a real Label Studio cannot be made to fail on cue.
    """
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Flaky(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            hits.append(self.path)
            body = b'{"id": 1, "email": "a@newsgold.test"}'
            self.send_response(503 if len(hits) <= 2 else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    slept: list[float] = []
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        with ls_client.Server(url, "k", sleep=slept.append) as server:
            assert server.user.email == "a@newsgold.test"
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert slept == [0.5, 1.0]
    assert hits == ["/api/current-user/whoami"] * 3


def test_down_server_gives_up_after_four_attempts(tmp_path: Path) -> None:
    """Connection refused: 4 attempts with doubling waits, then one line."""
    port = free_port()
    slept: list[float] = []
    with pytest.raises(ls_client.LabelStudioError) as info:
        ls_client.Server(f"http://127.0.0.1:{port}", "k", sleep=slept.append)
    assert slept == [0.5, 1.0, 2.0]
    assert str(info.value) == (
        f"cannot reach Label Studio at http://127.0.0.1:{port}: connection refused "
        "(after 4 attempts) (is the server running, and is the URL right?)"
    )
