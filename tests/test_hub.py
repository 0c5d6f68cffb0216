"""Publishing corpus/ to the Hub: the dry run (no network here) and its refusals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.errors import ValidationError
from newsgold.hub import commit_operations, plan_publish


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def corpus(project: Path) -> Path:
    """A project copy with its corpus built."""
    result = run_cli("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    return project / "corpus"


def uploaded_bytes(corpus: Path, repo_id: str = "me/newsgold") -> dict[str, bytes]:
    """What the Hub should receive, computed here: every file of the corpus folder as it is,
    except the card, whose paragraph between the hub-loading comments becomes the
    `load_dataset` call of this repository and tag, and the manifest, recording that card."""
    out = {
        p.relative_to(corpus).as_posix(): p.read_bytes()
        for p in sorted(corpus.rglob("*"))
        if p.is_file()
    }
    tag = "corpus-v" + (corpus / "VERSION").read_text().strip()
    card = out["README.md"].decode()
    start = card.index("<!-- newsgold:hub-loading -->\n")
    close = "<!-- /newsgold:hub-loading -->\n"
    end = card.index(close) + len(close)
    call = f'docs = load_dataset("{repo_id}", "documents", split="test", revision="{tag}")'
    card = (
        card[:start] + f"```python\nfrom datasets import load_dataset\n\n{call}\n```\n" + card[end:]
    )
    out["README.md"] = card.encode()
    manifest = json.loads(out["manifest.json"])
    manifest["files"]["README.md"] = {
        "sha256": hashlib.sha256(out["README.md"]).hexdigest(),
        "bytes": len(out["README.md"]),
    }
    out["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    return out


def files_of(corpus: Path, repo_id: str = "me/newsgold") -> list[dict[str, Any]]:
    """Every uploaded file with its size and sha256, computed here."""
    return [
        {
            "path_in_repo": name,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "rendered_for_hub": name in {"README.md", "manifest.json"},
        }
        for name, data in sorted(uploaded_bytes(corpus, repo_id).items())
    ]


def test_the_uploaded_card_names_the_repository(corpus: Path) -> None:
    """The built card has no repository id and no placeholder; the uploaded one has the call."""
    local = (corpus / "README.md").read_text()
    assert "OWNER" not in local and 'load_dataset("' not in local.split("## How to evaluate")[0]
    plan = plan_publish(corpus, "my-lab/newsgold")
    sent = {u.path_in_repo: u.content for u in plan.uploads if u.content is not None}
    assert set(sent) == {"README.md", "manifest.json"}
    assert sent == {k: v for k, v in uploaded_bytes(corpus, "my-lab/newsgold").items() if k in sent}
    card = (sent["README.md"] or b"").decode()
    assert 'load_dataset("my-lab/newsgold", "documents", split="test", revision="corpus-v' in card
    assert "newsgold:hub-loading" not in card and "](../" not in card
    # the card on disk is untouched, and still what a build writes
    assert (corpus / "README.md").read_text() == local
    assert run_cli("build", "--check", "--root", str(corpus.parent)).exit_code == 0


def test_a_card_without_the_hub_paragraph_is_refused(corpus: Path) -> None:
    """A hand-edited card that lost the paragraph: one line naming the card, exit 1."""
    card = corpus / "README.md"
    text = card.read_text()
    start = text.index("<!-- newsgold:hub-loading -->")
    card.write_text(text[:start], encoding="utf-8")
    manifest = json.loads((corpus / "manifest.json").read_text())
    manifest["files"]["README.md"] = {
        "sha256": hashlib.sha256(card.read_bytes()).hexdigest(),
        "bytes": len(card.read_bytes()),
    }
    (corpus / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    with pytest.raises(ValidationError) as caught:
        plan_publish(corpus, "me/newsgold")
    assert [str(p) for p in caught.value.problems] == [
        f"{card}: $: no Hub loading paragraph (expected the card `newsgold build` writes); "
        "run `newsgold build`"
    ]


def test_dry_run_json_lists_the_exact_operations(corpus: Path) -> None:
    """create_repo (dataset), one commit uploading every file of corpus/ with its size and
    sha256, then the tag corpus-v<VERSION>; nothing is sent."""
    root = corpus.parent
    result = run_cli(
        "publish", "--repo-id", "me/newsgold", "--dry-run", "--json", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    version = (corpus / "VERSION").read_text().strip()
    gold_sha = json.loads((corpus / "manifest.json").read_text())["gold_sha256"]
    message = f"newsgold corpus {version} (gold sha256 {gold_sha[:12]})"
    assert got == {
        "dry_run": True,
        "operations": [
            {
                "op": "create_repo",
                "repo_id": "me/newsgold",
                "repo_type": "dataset",
                "private": False,
                "exist_ok": True,
            },
            {
                "op": "create_commit",
                "repo_id": "me/newsgold",
                "repo_type": "dataset",
                "commit_message": message,
                "delete": "every remote file under data/ that is not uploaded below",
                "uploads": files_of(corpus),
            },
            {
                "op": "create_tag",
                "repo_id": "me/newsgold",
                "repo_type": "dataset",
                "tag": f"corpus-v{version}",
                "revision": "<the commit above>",
                "tag_message": f"newsgold corpus {version}",
            },
        ],
    }


def test_dry_run_text_names_every_file(corpus: Path) -> None:
    """The human plan: one line per operation and per uploaded file, with size and sha."""
    result = run_cli(
        "publish", "--repo-id", "me/newsgold", "--dry-run", "--root", str(corpus.parent)
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    files = files_of(corpus)
    version = (corpus / "VERSION").read_text().strip()
    assert lines[0] == "create_repo me/newsgold (dataset, public, exist_ok)"
    assert lines[1].startswith("create_commit me/newsgold: 'newsgold corpus ")
    assert lines[2] == "  delete remote data/* files not in this release"
    assert len(lines) == 3 + len(files) + 1
    for line, f in zip(lines[3:-1], files, strict=True):
        assert line.split() == [
            "upload",
            f["path_in_repo"],
            str(f["size"]),
            "bytes",
            "sha256",
            f["sha256"][:12] + "…",
            *(["(rendered", "for", "the", "Hub)"] if f["rendered_for_hub"] else []),
        ]
    assert lines[-1] == f"create_tag me/newsgold corpus-v{version} -> that commit"


def test_plan_agrees_with_huggingface_hub(corpus: Path) -> None:
    """The sizes and sha256 of the plan are those huggingface_hub computes for the upload;
    old remote data files are deleted, other remote files are overwritten, not deleted."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    plan = plan_publish(corpus, "me/newsgold")
    ops = commit_operations(plan, ["data/old-test-000000000000.parquet", "README.md", "notes.md"])
    deletes = [op for op in ops if isinstance(op, CommitOperationDelete)]
    adds = [op for op in ops if isinstance(op, CommitOperationAdd)]
    assert [d.path_in_repo for d in deletes] == ["data/old-test-000000000000.parquet"]
    assert len(adds) == len(plan.uploads)
    for add, upload in zip(adds, plan.uploads, strict=True):
        assert add.path_in_repo == upload.path_in_repo
        assert add.upload_info.size == upload.size
        assert add.upload_info.sha256.hex() == upload.sha256


def test_tag_must_be_the_corpus_version(corpus: Path) -> None:
    """Edge case: --tag of another version: refused, with the version to bump to."""
    version = (corpus / "VERSION").read_text().strip()
    result = run_cli(
        "publish",
        "--repo-id",
        "me/newsgold",
        "--tag",
        "corpus-v9.9.9",
        "--dry-run",
        "--root",
        str(corpus.parent),
    )
    assert result.exit_code == 1
    assert result.output == (
        f"error: --tag: got 'corpus-v9.9.9', but {corpus}/VERSION says {version} "
        f"(expected corpus-v{version}); bump the version in corpus/CHANGELOG.md and run "
        "`newsgold build` to release another\n"
    )
    result = run_cli(
        "publish",
        "--repo-id",
        "me/newsgold",
        "--tag",
        "v1",
        "--dry-run",
        "--root",
        str(corpus.parent),
    )
    assert result.exit_code == 1
    assert result.output == (
        f"error: --tag: got 'v1', expected corpus-vMAJOR.MINOR.PATCH (corpus-v{version})\n"
    )


@pytest.mark.parametrize("repo_id", ["newsgold", "me/news gold", "me/", "a/b/c", "me/x--y"])
def test_bad_repo_id(corpus: Path, repo_id: str) -> None:
    """Edge case: a repo id that is not OWNER/NAME."""
    result = run_cli("publish", "--repo-id", repo_id, "--dry-run", "--root", str(corpus.parent))
    assert result.exit_code == 1
    assert result.output == (
        f"error: --repo-id: got {repo_id!r}, expected OWNER/NAME (letters, digits, '-', '_', '.')\n"
    )


def test_refuses_a_file_that_differs_from_the_manifest(corpus: Path) -> None:
    """Edge case: a data file changed after the build: refused before anything is sent."""
    path = sorted((corpus / "data").glob("*.parquet"))[0]
    path.write_bytes(path.read_bytes() + b"\0")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run_cli(
        "publish", "--repo-id", "me/newsgold", "--dry-run", "--root", str(corpus.parent)
    )
    assert result.exit_code == 1
    assert result.output == (
        f"{path}: $: sha256 {digest[:12]}… differs from manifest.json; run `newsgold build`\n"
        "1 problem in 1 file\n"
    )


def test_refuses_a_stale_corpus(corpus: Path) -> None:
    """Edge case: the gold changed since the build: publish says to rebuild first."""
    project = corpus.parent
    path = next(p for p in sorted((project / "annotations").glob("*.json")) if p.name != "kb.json")
    obj = json.loads(path.read_text())
    obj["dct_reason"] += " (checked)"
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
    result = run_cli("publish", "--repo-id", "me/newsgold", "--dry-run", "--root", str(project))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{corpus}/README.md: $: differs" in lines
    assert lines[-1] == f"error: {corpus} is stale: run `newsgold build`, commit, then publish"


def test_refuses_when_there_is_no_corpus(project: Path) -> None:
    """Edge case: nothing built yet."""
    result = run_cli("publish", "--repo-id", "me/newsgold", "--dry-run", "--root", str(project))
    assert result.exit_code == 1
    assert result.output == (
        f"{project}/corpus/VERSION: $: no such file (expected a built corpus; run `newsgold build`)\n"
        "1 problem in 1 file\n"
    )
