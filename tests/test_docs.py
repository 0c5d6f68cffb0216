"""Every example of README.md and docs/*.md runs, and every relative link resolves.

The convention (docs/contributing.md, "Examples in the documentation"):

- a fenced ```bash block is run line by line (a line ending in `\\` continues on the next),
  each line by `bash -e -o pipefail`, with `newsgold` and `python` of this environment on PATH,
  in a temporary copy of the repository; every line must exit 0;
- a fenced ```python block is run in one namespace per file, after the blocks before it in the
  same file (bash and python in document order), same folder;
- a block whose previous non-blank line is `<!-- not run: REASON -->` is skipped (only for what
  cannot run in a test: an upload, a server, an interactive UI, a long install);
- ```text (expected output), ```json, ```jsonl and ```xml blocks are not run; any other fence
  language, an untagged fence or an indented fence is an error, so that no shell example
  escapes the run by being spelled ```console.

The repository is copied once per module (`git ls-files`: tracked and untracked files that are
not ignored, the built corpus/ included), and the files run in one subprocess each.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN = {"bash", "python"}
NOT_RUN = {"text", "json", "jsonl", "xml"}
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[^\n`]*)\n(?P<code>.*?)^[ \t]*```[ \t]*$", re.M | re.S
)
_SKIP = re.compile(r"^<!-- not run: (?P<reason>\S.*\S) -->$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a Markdown file."""

    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    skip: str | None  # the reason of a `<!-- not run: ... -->` marker

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for m in _FENCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        before = [ln for ln in text[: m.start()].splitlines() if ln.strip()]
        marker = _SKIP.match(before[-1].strip()) if before else None
        found.append(
            Block(
                path,
                line,
                m["lang"].strip() + ("\0indented" if m["indent"] else ""),
                m["code"],
                marker["reason"] if marker else None,
            )
        )
    return found


def bash_commands(block: Block) -> list[tuple[int, str]]:
    """(line, command) of each command of a bash block; `\\` continues a line."""
    commands: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for i, raw in enumerate(block.code.splitlines(), start=block.line + 1):
        if not pending:
            start = i
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            continue
        commands.append((start, " ".join([*pending, raw]).strip()))
        pending = []
    assert not pending, f"{block.where}: a command ends in `\\` at the end of the block"
    return commands


def test_there_are_examples_to_run() -> None:
    """The parametrized tests below are not vacuous: the docs hold runnable examples."""
    runnable = [b for p in DOC_FILES for b in blocks(p) if b.lang in RUN and b.skip is None]
    assert len({b.path for b in runnable}) >= 8 and len(runnable) >= 30, len(runnable)


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_every_fence_is_a_known_kind(path: Path) -> None:
    """Fences are ```bash, ```python (run) or ```text/json/jsonl/xml (not run), never indented."""
    for block in blocks(path):
        assert block.lang in RUN | NOT_RUN, (
            f"{block.where}: fence language {block.lang!r} (expected one of "
            f"{sorted(RUN | NOT_RUN)}, not indented; a shell example is ```bash)"
        )
        if block.skip is not None:
            assert block.lang in RUN, f"{block.where}: a not-run marker on a {block.lang} block"


def _copy_repository(dest: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file() and not src.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A copy of the repository and the environment the examples run in."""
    base = tmp_path_factory.mktemp("docs")
    repo = base / "newsgold"
    _copy_repository(repo)
    env = {k: v for k, v in os.environ.items() if k not in {"NEWSGOLD_ROOT", "PYTHONPATH"}}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(repo / "src"),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        HF_DATASETS_CACHE=str(base / "hf-datasets"),
    )
    yield repo, env


_DRIVER = r"""
import json, subprocess, sys, traceback
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for block in blocks:
    if block["lang"] == "bash":
        for line, command in block["commands"]:
            done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{block['file']}:{line}: exit status {done.returncode}: {command}")
                print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
                sys.exit(1)
    else:
        code = "\n" * block["line"] + block["code"]  # tracebacks give the Markdown line
        try:
            exec(compile(code, block["file"], "exec"), namespace)
        except BaseException:
            print(f"{block['file']}:{block['line']}: the python block failed")
            traceback.print_exc(file=sys.stdout)
            sys.exit(1)
"""


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_examples_run(path: Path, workspace: tuple[Path, dict[str, str]]) -> None:
    """Every bash and python block of the file runs, in order, in the copy of the repository."""
    repo, env = workspace
    todo = []
    for block in blocks(path):
        if block.lang not in RUN or block.skip is not None:
            continue
        item: dict[str, object] = {
            "file": str(path.relative_to(ROOT)),
            "line": block.line,
            "lang": block.lang,
        }
        if block.lang == "bash":
            item["commands"] = bash_commands(block)
        else:
            item["code"] = block.code
        todo.append(item)
    if not todo:
        pytest.skip(f"{path.name} has no runnable example")
    plan = repo.parent / f"{path.stem}.blocks.json"
    plan.write_text(json.dumps(todo), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(plan)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]


_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    slugs = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        slugs.add(slug)
    return slugs


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_relative_links_resolve(path: Path) -> None:
    """Every relative link (and #anchor) of the file points at a file (heading) that exists."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.name}")
    assert not broken, f"{path.relative_to(ROOT)}: " + "; ".join(broken)


def test_torch_pin_of_setup_is_the_test_extra() -> None:
    """scripts/setup.sh installs the same torch pin the test extra asks for."""
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]["test"]
    (pin,) = [d for d in extra if d.startswith("torch")]
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert f"TORCH_PIN={pin} " in setup, pin


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_torch_index_probe(tmp_path: Path) -> None:
    """scripts/torch-index.sh accepts an index that lists torch 2.13.0, refuses others and a closed port."""
    (tmp_path / "good" / "torch").mkdir(parents=True)
    (tmp_path / "good" / "torch" / "index.html").write_text(
        '<a href="torch-2.13.0%2Bcpu-cp311-cp311-manylinux_2_28_x86_64.whl">'
        "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl</a>",
        encoding="utf-8",
    )
    (tmp_path / "old" / "torch").mkdir(parents=True)
    (tmp_path / "old" / "torch" / "index.html").write_text("torch-2.1.0.whl", encoding="utf-8")

    def handler(*args: object, **kwargs: object) -> _Quiet:
        return _Quiet(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:

        def probe(url: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["bash", str(ROOT / "scripts" / "torch-index.sh"), url, sys.executable],
                capture_output=True,
                text=True,
                timeout=60,
            )

        assert probe(f"http://127.0.0.1:{port}/good").returncode == 0
        old = probe(f"http://127.0.0.1:{port}/old/")
        assert old.returncode == 1 and "no torch 2.13.0 wheel listed" in old.stderr
        missing = probe(f"http://127.0.0.1:{port}/none")
        assert missing.returncode == 1 and "404" in missing.stderr
    finally:
        server.shutdown()
        server.server_close()
    closed = probe(f"http://127.0.0.1:{port}/good")
    assert closed.returncode == 1 and "torch-index:" in closed.stderr


def test_versions_page_states_the_current_versions() -> None:
    """The "now" column of docs/versions.md is what the code and the corpus say."""
    import newsgold
    from newsgold.report import corpus_version
    from newsgold.scoring import SCORER_VERSION

    page = (ROOT / "docs" / "versions.md").read_text(encoding="utf-8")
    rows = {m[0]: m[1] for m in re.findall(r"^\| \*\*([a-z0-9 ]+)\*\* \| `([^`]+)` \|", page, re.M)}
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    assert rows == {
        "corpus": corpus_version(ROOT),
        "gold sha256": manifest["gold_sha256"][:8] + "…",
        "scorer": SCORER_VERSION,
        "package": newsgold.__version__,
    }


def test_example_files_are_shown_in_the_docs() -> None:
    """Each docs/examples/*.py is shown, verbatim, as a python block of the documentation."""
    shown = {b.code for p in DOC_FILES for b in blocks(p) if b.lang == "python"}
    examples = sorted((ROOT / "docs" / "examples").glob("*.py"))
    assert examples
    for example in examples:
        assert example.read_text(encoding="utf-8") in shown, example.name


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_no_placeholder_in_examples(path: Path) -> None:
    """No example loads or publishes a made-up location (`OWNER/newsgold`, `path/to/...`)."""
    for block in blocks(path):
        for placeholder in ("OWNER", "path/to/", "REPO_ID", "TODO", "XXX"):
            assert placeholder not in block.code, f"{block.where}: {placeholder}"
    text = path.read_text(encoding="utf-8")
    assert 'load_dataset("OWNER' not in text and "path/to/newsgold" not in text
