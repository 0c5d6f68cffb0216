"""A Label Studio team against a real server (1.23.2): partial progress, ordinary exports,
checks at pull, per-pair agreement and adjudication through a review project.

Two annotators work through the REST API as the UI does (annotations created
on tasks, a draft autosaved and not submitted); the reviewer accepts one of
the two readings shown as predictions and submits it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.jsonio import document_to_json, dumps_json
from newsgold.labelstudio import to_results
from newsgold.validate import load_gold

_spec = importlib.util.spec_from_file_location(
    "newsgold_tests_ls_server", Path(__file__).with_name("ls_server.py")
)
assert _spec is not None and _spec.loader is not None
_module = sys.modules.get(_spec.name) or importlib.util.module_from_spec(_spec)
if _spec.name not in sys.modules:
    sys.modules[_spec.name] = _module
    _spec.loader.exec_module(_module)
ls_server = _module.ls_server  # the session fixture

pytestmark = pytest.mark.labelstudio

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def clients() -> Iterator[Callable[[Any, str], Any]]:
    """SDK clients as an annotator's browser session would use them; closed after the test."""
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


def push_unannotated(server: Any, title: str) -> int:
    """The gold pushed as pre-annotations only: every task waits for its annotators."""
    result = invoke(
        "ls", "push", "--url", server.url, "--api-key", server.token, "--project", title,
        "--as", "predictions", "--no-progress", "--root", str(ROOT),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip())


def tasks_by_doc(client: Any, project: int) -> dict[str, int]:
    return {t.data["doc_id"]: int(t.id) for t in client.tasks.list(project=project)}


def results_of(doc: Any) -> list[dict[str, Any]]:
    return to_results(doc.text, doc.entities, doc.dates, doc.quotes)


def save_draft(server: Any, token: str, task_id: int, result: list[dict[str, Any]]) -> None:
    """What the UI's autosave does while an annotator works and has not submitted."""
    response = httpx.post(
        f"{server.url}/api/tasks/{task_id}/drafts",
        headers={"Authorization": f"Token {token}"},
        json={"result": result, "lead_time": 12.5},
        timeout=30,
    )
    assert response.status_code == 201, response.text


def ui_export(server: Any, project: int, export_type: str) -> Any:
    """The UI's Export button: GET /api/projects/<id>/export?exportType=..."""
    response = httpx.get(
        f"{server.url}/api/projects/{project}/export",
        params={"exportType": export_type, "download_all_tasks": "true"},
        headers={"Authorization": f"Token {server.token}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_two_annotators_partial_agreement_and_adjudication(
    ls_server: Any, tmp_path: Path, clients: Any
) -> None:
    """A annotates 4 documents, B 3 of them (one entity and one date fewer) and leaves a draft
    on the fifth; the pull is partial, the pair's agreement lists exactly those two
    disagreements, and a reviewer settles them through a review project back to gold."""
    gold = load_gold(ROOT)
    doc_ids = sorted(gold.docs)
    project = push_unannotated(ls_server, "team of two")
    c1 = clients(ls_server, ls_server.token)
    c2 = clients(ls_server, ls_server.token2)
    ids = tasks_by_doc(c1, project)
    d1, d2, d3 = (gold.docs[d] for d in doc_ids[1:4])
    b_docs = {
        d1.doc_id: replace(d1, entities=d1.entities[1:]),  # B misses the first entity
        d2.doc_id: replace(d2, dates=d2.dates[:-1]),  # B misses the last date
        d3.doc_id: d3,
    }
    for doc_id in doc_ids[:4]:
        c1.annotations.create(id=ids[doc_id], result=results_of(gold.docs[doc_id]))
    for doc_id, doc in b_docs.items():
        c2.annotations.create(id=ids[doc_id], result=results_of(doc))
    last = doc_ids[4]
    save_draft(ls_server, ls_server.token2, ids[last], results_of(gold.docs[last])[:2])

    # ---- partial pull, folders by e-mail
    out = tmp_path / "pulled"
    res = invoke(
        "ls", "pull", "--url", ls_server.url, "--api-key", ls_server.token, "--project",
        str(project), "--out", str(out), "--by-annotator", "--root", str(ROOT),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert f"task {ids[last]} ({last}): no submitted annotation yet: left out" in res.stderr
    assert (
        f"task {ids[last]}: annotator {ls_server.email2} has an unsubmitted draft: not pulled"
        in res.stderr
    )
    assert f"ok: wrote 7 gold files to {out} ({ls_server.email}: 4, {ls_server.email2}: 3)" in (
        res.stderr.replace("\n", " ")
    )
    dir_a, dir_b = out / ls_server.email, out / ls_server.email2
    assert sorted(p.stem for p in dir_a.glob("*.json")) == doc_ids[:4]
    assert sorted(p.stem for p in dir_b.glob("*.json")) == doc_ids[1:4]
    for doc_id, doc in b_docs.items():
        assert (dir_b / f"{doc_id}.json").read_text(encoding="utf-8") == dumps_json(
            document_to_json(doc)
        )

    # ---- agreement of the pair, against an independent count
    res = invoke(
        "agree", str(dir_a), str(dir_b), "--json", "-", "--bootstrap", "0", "--root", str(ROOT)
    )
    assert res.exit_code == 0, res.output
    (pair,) = json.loads(res.stdout)["pairs"]
    assert pair["documents"] == doc_ids[1:4]
    n_ent = sum(len(gold.docs[d].entities) for d in doc_ids[1:4])
    n_dat = sum(len(gold.docs[d].dates) for d in doc_ids[1:4])
    assert pair["f1"]["entities"] == round(2 * (n_ent - 1) / (n_ent + n_ent - 1), 6)
    assert pair["f1"]["dates"] == round(2 * (n_dat - 1) / (n_dat + n_dat - 1), 6)
    assert pair["f1"]["quotes"] == 1.0
    missing_e, missing_d = d1.entities[0], d2.dates[-1]
    assert [(d["doc_id"], d["layer"], d["text"], len(d["a"]), len(d["b"])) for d in pair["disagreements"]] == [
        (d1.doc_id, "entities", missing_e.text, 1, 0),
        (d2.doc_id, "dates", missing_d.text, 1, 0),
    ]  # fmt: skip
    md = invoke("agree", str(dir_a), str(dir_b), "--bootstrap", "0", "--root", str(ROOT))
    assert f"## Disagreements of `{dir_a}` and `{dir_b}` (2)" in md.stdout

    # ---- adjudication: a review project with both readings as predictions
    res = invoke(
        "ls", "adjudicate", str(dir_a), str(dir_b), "--url", ls_server.url, "--api-key",
        ls_server.token, "--project", "review of two", "--no-progress", "--root", str(ROOT),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    review = int(res.stdout.strip())
    assert f"{doc_ids[0]}: annotated by {ls_server.email} only: not adjudicated" in res.stderr
    assert "1 documents agreed; 2 with disagreements (2 in all)" in res.stderr
    review_ids = tasks_by_doc(c1, review)
    assert sorted(review_ids) == [d1.doc_id, d2.doc_id]
    readings: dict[str, dict[str, Any]] = {}
    for doc_id, task_id in review_ids.items():
        preds = list(c1.predictions.list(task=task_id))
        assert sorted(p.model_version for p in preds) == sorted([ls_server.email, ls_server.email2])
        readings[doc_id] = {p.model_version: p.result for p in preds}
        task = c1.tasks.get(id=task_id)
        assert "review 1 disagreement(s)" in task.data["header"]
    # the reviewer (annotator 2 here) accepts B's reading on d1 ...
    c2.annotations.create(id=review_ids[d1.doc_id], result=readings[d1.doc_id][ls_server.email2])
    gold_out = tmp_path / "adjudicated"
    pull_review = [
        "ls", "adjudicate", str(dir_a), str(dir_b), "--url", ls_server.url, "--api-key",
        ls_server.token, "--pull", str(review), "--out", str(gold_out), "--root", str(ROOT),
    ]  # fmt: skip
    res = invoke(*pull_review)
    assert res.exit_code == 0, res.output
    assert f"{d2.doc_id}: awaiting review: left out" in res.stderr
    assert sorted(p.stem for p in gold_out.glob("*.json")) == sorted([d1.doc_id, d3.doc_id])
    # ... and A's reading on d2, then everything comes back
    c2.annotations.create(id=review_ids[d2.doc_id], result=readings[d2.doc_id][ls_server.email])
    res = invoke(*pull_review)
    assert res.exit_code == 0, res.output
    assert "awaiting review" not in res.stderr
    written = {p.stem: p.read_text(encoding="utf-8") for p in gold_out.glob("*.json")}
    assert written == {
        d1.doc_id: dumps_json(document_to_json(b_docs[d1.doc_id])),
        d2.doc_id: (ROOT / "annotations" / f"{d2.doc_id}.json").read_text(encoding="utf-8"),
        d3.doc_id: (ROOT / "annotations" / f"{d3.doc_id}.json").read_text(encoding="utf-8"),
    }
    record = json.loads((gold_out / "adjudication" / "decisions.json").read_text("utf-8"))
    assert record["review_project"] == review
    assert record["documents"] == {
        doc_ids[0]: f"annotated by {ls_server.email} only: not adjudicated",
        d1.doc_id: "reviewed",
        d2.doc_id: "reviewed",
        d3.doc_id: "agreed",
    }
    assert [
        (r["doc_id"], r["layer"], r["text"], r["chosen_from"], r["by"], len(r["a"]), len(r["b"]))
        for r in record["decisions"]
    ] == [
        (d1.doc_id, "entities", missing_e.text, ls_server.email2, ls_server.email2, 1, 0),
        (d2.doc_id, "dates", missing_d.text, ls_server.email, ls_server.email2, 1, 0),
    ]
    md_record = (gold_out / "adjudication" / "decisions.md").read_text("utf-8")
    assert "## Decisions (2)" in md_record
    assert (
        f"| {d1.doc_id} | entities | disagreement [0:11] GENERICO.ru | ORG generico-ru [0:11] "
        f"“GENERICO.ru” | (nothing) | (nothing) | {ls_server.email2} | {ls_server.email2} |"
    ) in md_record  # the row shown in docs/annotation-agreement.md
    # `ls pull` of the review project gives the reviewed documents too (without the record)
    plain = invoke(
        "ls", "pull", "--url", ls_server.url, "--api-key", ls_server.token, "--project",
        str(review), "--out", str(tmp_path / "plain"), "--root", str(ROOT),
    )  # fmt: skip
    assert plain.exit_code == 0, plain.output
    assert {p.stem: p.read_text("utf-8") for p in (tmp_path / "plain").glob("*.json")} == {
        k: v for k, v in written.items() if k != d3.doc_id
    }
    # the adjudicated folder is a valid (partial) annotation set
    assert sorted(load_gold(ROOT, gold_out, partial=True).docs) == sorted(written)


def test_ordinary_ui_export_checks_and_annotators(
    ls_server: Any, tmp_path: Path, clients: Any
) -> None:
    """The UI's JSON export (predictions as ids, annotators as user ids) is imported; a GPE
    `Russia` inside `Russian` is refused with task, annotator and result id while the rest is
    written; a quote whose speaker link was deleted is warned about; JSON_MIN says what it lacks."""
    gold = load_gold(ROOT)
    doc_ids = sorted(gold.docs)
    project = push_unannotated(ls_server, "ui export")
    c1 = clients(ls_server, ls_server.token)
    c2 = clients(ls_server, ls_server.token2)
    ids = tasks_by_doc(c1, project)
    for doc_id in doc_ids:
        c1.annotations.create(id=ids[doc_id], result=results_of(gold.docs[doc_id]))
    # annotator 2: doc 0 with GPE `Russia` over the first 6 letters of `Russian`
    d0 = gold.docs[doc_ids[0]]
    assert d0.text.startswith("Russian ")
    bad = results_of(d0)
    for r in bad:
        if r.get("id") == "ent-0":
            r["value"]["end"] = 6
            if r["from_name"] == "entity":
                r["value"].update(text="Russia", labels=["GPE"])
            elif "taxonomy" in r["value"]:
                r["value"]["taxonomy"] = [["russia"]]
            else:
                r["value"]["text"] = ["russia"]
    c2.annotations.create(id=ids[d0.doc_id], result=bad)
    # annotator 2: doc 1 with the speaker relation of a quote with a cue deleted
    d1 = gold.docs[doc_ids[1]]
    res1 = results_of(d1)
    cued = {r["from_id"] for r in res1 if r.get("type") == "relation" and r["labels"] == ["cue"]}
    spoken = [
        r for r in res1
        if r.get("type") == "relation" and r["labels"] == ["speaker"] and r["from_id"] in cued
    ]  # fmt: skip
    quote_id = spoken[0]["from_id"]
    res1.remove(spoken[0])
    c2.annotations.create(id=ids[d1.doc_id], result=res1)
    d2 = gold.docs[doc_ids[2]]
    save_draft(ls_server, ls_server.token2, ids[d2.doc_id], results_of(d2)[:4])

    export = tmp_path / "export.json"
    export.write_text(json.dumps(ui_export(ls_server, project, "JSON")), encoding="utf-8")
    assert all(isinstance(p, int) for t in json.loads(export.read_text()) for p in t["predictions"])
    out = tmp_path / "imported"
    res = invoke(
        "ls", "import", str(export), "--out", str(out), "--by-annotator", "--root", str(ROOT)
    )
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    (word,) = [ln for ln in lines if "inside the word" in ln]
    assert re.fullmatch(
        rf"{re.escape(str(export))}: \$\[\d+\]\.annotations\[1\]\.result\[0\]: task "
        rf"{ids[d0.doc_id]}, annotator 2, result 'ent-0': \$\.entities\[0\]: \[0:6\] 'Russia' "
        r"ends inside the word 'Russian' \[0:7\] \(expected span boundaries between words; "
        r"GUIDELINES\.md 3\.4 allows a boundary inside a run of letters only at a hyphen .*\)",
        word,
    ), word
    assert any(
        f"task {ids[d1.doc_id]}, annotator 2, result '{quote_id}': quote" in ln
        and "has a cue" in ln
        and "no speaker link" in ln
        for ln in lines
    ), lines
    assert any(
        "the predictions of 5 task(s) are exported as ids only (the UI's plain export): not read"
        in ln
        for ln in lines
    ), lines
    assert lines[-1] == "1 problem in 1 file"
    draft = (
        f"warning: {export}: $[2]: task {ids[d2.doc_id]}: annotator {ls_server.email2} has an "
        "unsubmitted draft: not pulled (submit it in Label Studio, then pull again)"
    )
    assert draft in lines, lines
    # annotator 1's five documents and annotator 2's valid one are written
    assert sorted(p.name for p in (out / "user-1").iterdir()) == [f"{d}.json" for d in doc_ids]
    assert [p.stem for p in (out / "user-2").iterdir()] == [d1.doc_id]
    assert json.loads((out / "user-2" / f"{d1.doc_id}.json").read_text("utf-8"))["quotes"]

    # annotators by id in this export; an e-mail is explained
    only1 = invoke(
        "ls", "import", str(export), "--out", str(tmp_path / "one"), "--annotator", "1",
        "--root", str(ROOT),
    )  # fmt: skip
    assert only1.exit_code == 0, only1.output
    assert len(list((tmp_path / "one").iterdir())) == 5
    assert "inside the word" not in only1.stderr  # annotator 2's work is not read
    by_mail = invoke(
        "ls", "import", str(export), "--out", str(tmp_path / "mail"), "--annotator",
        ls_server.email, "--root", str(ROOT),
    )  # fmt: skip
    assert by_mail.exit_code == 1
    assert "this export names annotators by user id only" in by_mail.stderr
    assert not (tmp_path / "mail").exists()
    # ... unless the server names them: e-mails in folders and messages
    named = invoke(
        "ls", "import", str(export), "--out", str(tmp_path / "named"), "--by-annotator",
        "--url", ls_server.url, "--api-key", ls_server.token, "--root", str(ROOT),
    )  # fmt: skip
    assert named.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "named").iterdir()) == [
        ls_server.email,
        ls_server.email2,
    ]
    assert f"task {ids[d0.doc_id]}, annotator {ls_server.email2}, result 'ent-0'" in named.stderr
    mail = invoke(
        "ls", "import", str(export), "--out", str(tmp_path / "mail2"), "--annotator",
        ls_server.email2, "--url", ls_server.url, "--api-key", ls_server.token,
        "--root", str(ROOT),
    )  # fmt: skip
    assert mail.exit_code == 1  # the partial-word entity of annotator 2
    assert [p.stem for p in (tmp_path / "mail2").iterdir()] == [d1.doc_id]

    # the same project pulled: e-mails in folders and messages
    pulled = invoke(
        "ls", "pull", "--url", ls_server.url, "--api-key", ls_server.token, "--project",
        str(project), "--out", str(tmp_path / "p"), "--annotator", ls_server.email2,
        "--root", str(ROOT),
    )  # fmt: skip
    assert pulled.exit_code == 1
    assert f"task {ids[d0.doc_id]}, annotator {ls_server.email2}, result 'ent-0'" in pulled.stderr
    assert [p.stem for p in (tmp_path / "p").iterdir()] == [d1.doc_id]
    for doc_id in doc_ids[2:]:
        assert (
            f"task {ids[doc_id]} ({doc_id}): not annotated by {ls_server.email2} yet: left out"
            in pulled.stderr
        )

    # JSON_MIN: refused, saying what it lacks
    minimal = tmp_path / "min.json"
    minimal.write_text(json.dumps(ui_export(ls_server, project, "JSON_MIN")), encoding="utf-8")
    res = invoke("ls", "import", str(minimal), "--out", str(tmp_path / "m"), "--root", str(ROOT))
    assert res.exit_code == 1
    assert res.stderr.startswith(
        f"{minimal}: $[0]: this is a JSON_MIN export: it has no relations (the speaker and cue "
        "of every quote)"
    )
    assert not (tmp_path / "m").exists()


def test_annotator_email_cannot_climb_out(tmp_path: Path) -> None:
    """An export naming an annotator `..` is refused by the safe-name check; nothing written."""
    gold = load_gold(ROOT)
    doc = gold.docs[sorted(gold.docs)[0]]
    task = {
        "id": 1,
        "data": {"doc_id": doc.doc_id, "text": doc.text, "dct": doc.dct, "dct_reason": doc.dct_reason},
        "annotations": [{"id": 1, "completed_by": {"id": 3, "email": ".."}, "result": results_of(doc)}],
    }  # fmt: skip
    export = tmp_path / "e.json"
    export.write_text(json.dumps([task]), encoding="utf-8")
    out = tmp_path / "o"
    res = invoke(
        "ls", "import", str(export), "--out", str(out), "--by-annotator", "--root", str(ROOT)
    )
    assert res.exit_code == 1
    assert "annotator e-mail '..' is not a plain name" in res.stderr
    assert not out.exists() and not (tmp_path / f"{doc.doc_id}.json").exists()


CHROMIUM = Path("/usr/bin/chromium")


def annotator_folders(server: Any, tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """Two annotators' folders as `ls pull --by-annotator` writes them (named by e-mail): A has
    the gold of two documents, B misses the first entity of one and the last date of the other
    (the disagreements of the end-to-end test above)."""
    gold = load_gold(ROOT)
    d1, d2 = (gold.docs[d] for d in sorted(gold.docs)[1:3])
    b_docs = {
        d1.doc_id: replace(d1, entities=d1.entities[1:]),
        d2.doc_id: replace(d2, dates=d2.dates[:-1]),
    }
    dir_a, dir_b = tmp_path / server.email, tmp_path / server.email2
    for folder, docs in ((dir_a, {d1.doc_id: d1, d2.doc_id: d2}), (dir_b, b_docs)):
        folder.mkdir()
        for doc_id, doc in docs.items():
            (folder / f"{doc_id}.json").write_text(dumps_json(document_to_json(doc)), "utf-8")
    return dir_a, dir_b, b_docs


@pytest.mark.browser
def test_a_reviewer_adjudicates_in_chromium(ls_server: Any, tmp_path: Path, clients: Any) -> None:
    """The review project made by `ls adjudicate`, seen by a reviewer in a real browser: each
    task shows the two readings as predictions named by their annotator (the full e-mail in the
    tab's tooltip; the tab itself shortens it); the reviewer looks at both, takes B's reading
    of one document as it is and A's of the other with an edit (Duplicate Annotation, then the
    disputed date's mod), submits; `--pull` writes exactly those readings as the gold, each
    decision recorded with its source (B's; the reviewer's own) and the reviewer."""
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run scripts/setup-chromium.sh")
    from playwright.sync_api import sync_playwright

    dir_a, dir_b, b_docs = annotator_folders(ls_server, tmp_path)
    d1_id, d2_id = sorted(b_docs)
    gold = load_gold(ROOT)
    # what A's reading has and B's lacks: an entity of d1, a date of d2
    only_a = {d1_id: gold.docs[d1_id].entities[0].text, d2_id: gold.docs[d2_id].dates[-1].text}
    assert only_a[d1_id] == "GENERICO.ru"
    img = ROOT / "docs" / "img" if os.environ.get("NEWSGOLD_UPDATE_GOLDEN") == "1" else tmp_path
    res = invoke(
        "ls", "adjudicate", str(dir_a), str(dir_b), "--url", ls_server.url, "--api-key",
        ls_server.token, "--project", "review in the browser", "--no-progress",
        "--root", str(ROOT),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    review = int(res.stdout.strip())
    c1 = clients(ls_server, ls_server.token)
    review_ids = tasks_by_doc(c1, review)
    assert sorted(review_ids) == [d1_id, d2_id]
    # the reviewer takes B's reading of d1 as it is, and A's of d2, editing the date B lacks
    choose = {d1_id: ls_server.email2, d2_id: ls_server.email}
    last = gold.docs[d2_id].dates[-1]
    assert last.mod is None
    seen: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{ls_server.url}/user/login")
            page.fill("input[name=email]", ls_server.email2)  # the reviewer: annotator 2
            page.fill("input[name=password]", "newsgold-pass-2")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for doc_id, task_id in sorted(review_ids.items()):
                page.goto(f"{ls_server.url}/projects/{review}/data?task={task_id}")
                page.wait_for_selector(".lsf-richtext__line")
                page.wait_for_timeout(1000)
                header = page.inner_text(".lsf-main-content")
                assert f"{doc_id} · review 1 disagreement(s)" in header, header
                tabs = page.locator(".lsf-annotation-button")
                predictions = page.locator(
                    ".lsf-annotation-button:has(.lsf-annotation-button__userpic_prediction)"
                )
                assert predictions.count() == 2
                only_a_marks = page.locator(f'.htx-highlight:text-is("{only_a[doc_id]}")')
                # besides them, a new annotation, selected, pre-filled from one of the readings
                assert tabs.count() == 3
                assert "lsf-annotation-button_selected" in (
                    tabs.nth(0).get_attribute("class") or ""
                )
                prefilled = only_a_marks.count()
                names = []
                for k in range(2):
                    predictions.nth(k).hover()
                    tip = page.locator(".lsf-annotation-button__tooltipContainerTitle")
                    tip.first.wait_for()
                    names.append(tip.first.inner_text())
                    if doc_id == d1_id and k == 1:
                        page.screenshot(path=str(img / "ls-review.png"))
                    page.mouse.move(700, 600)
                    page.wait_for_timeout(400)
                assert sorted(names) == sorted([ls_server.email, ls_server.email2])
                # the tab shows the name shortened: "annotato...d.test" for both here
                shown = predictions.nth(0).locator(".lsf-annotation-button__name").inner_text()
                assert shown == "annotato...d.test"
                # each reading shown in the text: A's has one region more over that stretch
                marked = {}
                for k, name in enumerate(names):
                    predictions.nth(k).click()
                    page.wait_for_timeout(800)
                    marked[name] = only_a_marks.count()
                seen[doc_id] = marked
                assert prefilled in marked.values()
                # accept one reading: Duplicate Annotation on that prediction, then Submit
                pick = predictions.nth(names.index(choose[doc_id]))
                pick.locator(".lsf-annotation-button__trigger").click()
                page.get_by_text("Duplicate Annotation", exact=True).click()
                page.wait_for_timeout(1000)
                # the copy is a new annotation, selected, showing the chosen reading
                assert tabs.count() == 4
                assert "lsf-annotation-button_selected" in (
                    tabs.nth(0).get_attribute("class") or ""
                )
                assert only_a_marks.count() == marked[choose[doc_id]]
                if doc_id == d2_id:  # the edit: select the date, pick its mod, unselect it
                    date = page.locator(f'.htx-highlight[data-start="{last.start}"]')
                    assert date.inner_text() == last.text
                    date.click()
                    page.wait_for_timeout(300)
                    page.click(".newsgold-fields >> text=APPROX")
                    date.click()
                    page.wait_for_timeout(300)
                page.click("[data-testid=bottombar-submit-button], button:has-text('Submit')")
                give_up = time.monotonic() + 30
                while not list(c1.annotations.list(id=task_id)):
                    assert time.monotonic() < give_up, "the review was not submitted"
                    time.sleep(0.5)
        finally:
            browser.close()
    for doc_id in (d1_id, d2_id):
        assert seen[doc_id][ls_server.email] == seen[doc_id][ls_server.email2] + 1, seen

    gold_out = tmp_path / "adjudicated"
    res = invoke(
        "ls", "adjudicate", str(dir_a), str(dir_b), "--url", ls_server.url, "--api-key",
        ls_server.token, "--pull", str(review), "--out", str(gold_out), "--root", str(ROOT),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "awaiting review" not in res.stderr
    written = {p.stem: p.read_text(encoding="utf-8") for p in gold_out.glob("*.json")}
    d2 = gold.docs[d2_id]
    edited = replace(d2, dates=(*d2.dates[:-1], replace(last, mod="APPROX")))
    assert written == {
        d1_id: dumps_json(document_to_json(b_docs[d1_id])),  # B's
        d2_id: dumps_json(document_to_json(edited)),  # A's, edited
    }
    record = json.loads((gold_out / "adjudication" / "decisions.json").read_text("utf-8"))
    assert record["documents"] == {d1_id: "reviewed", d2_id: "reviewed"}
    assert [
        (r["doc_id"], r["layer"], r["what"], r["chosen_from"], r["by"], len(r["chosen"]))
        for r in record["decisions"]
    ] == [
        (d1_id, "entities", "disagreement", ls_server.email2, ls_server.email2, 0),
        (d2_id, "dates", "disagreement", "reviewer", ls_server.email2, 1),
    ]
    assert record["decisions"][1]["chosen"][0]["mod"] == "APPROX"
