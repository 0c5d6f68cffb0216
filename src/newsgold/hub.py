"""Publishing ``corpus/`` to the Hugging Face Hub as a dataset repository, by tag.

Publishing is planned first and executed second. :func:`plan_publish` reads the
corpus folder and returns the exact operations (create the dataset repo, one
commit that uploads every file with its size and sha256, tag the commit
``corpus-vX.Y.Z``) without any network; ``newsgold publish --dry-run`` prints
that plan. Two files are uploaded as rendered for the Hub rather than as they
lie on disk: the card, whose loading paragraph then names the repository and
the tag (:func:`hub_card`), and ``manifest.json``, which records that card's
sha256 and size, so the repository on the Hub agrees with its own manifest. :func:`execute` sends the plan with :class:`huggingface_hub.HfApi`.

The plan refuses a corpus whose files do not match its ``manifest.json`` (run
``newsgold build``), and a tag that is not the corpus version.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .corpus.build import file_entry, manifest_bytes
from .errors import NewsgoldError, Problem, UsageError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from huggingface_hub import HfApi

REPO_TYPE = "dataset"
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_TAG = re.compile(r"^corpus-v\d+\.\d+\.\d+$")


@dataclass(frozen=True)
class Upload:
    """One file of the commit.

    Attributes:
        path_in_repo: the file's path in the dataset repository (as in ``corpus/``).
        size: its size in bytes.
        sha256: hex sha256 of its bytes (the Hub stores LFS files by this digest).
        content: the bytes to upload when they are rendered for the Hub (the card and
            the manifest); ``None``: the file of the corpus folder as it is.
    """

    path_in_repo: str
    size: int
    sha256: str
    content: bytes | None = None


@dataclass(frozen=True)
class PublishPlan:
    """Everything a publication sends to the Hub, in order.

    Attributes:
        repo_id: ``OWNER/NAME`` of the dataset repository.
        tag: the release tag, ``corpus-vX.Y.Z``.
        version: the corpus version (``corpus/VERSION``).
        private: whether a newly created repository is private.
        corpus: the local corpus folder.
        uploads: the files of the commit, sorted by path.
        commit_message: the commit's message.
    """

    repo_id: str
    tag: str
    version: str
    private: bool
    corpus: Path
    uploads: tuple[Upload, ...]
    commit_message: str

    def operations(self) -> list[dict[str, Any]]:
        """The plan as the list of API calls it makes, for ``--dry-run`` and ``--json``.

        Returns:
            ``create_repo``, ``create_commit`` (with ``delete`` of remote data
            files not in this release, and one ``upload`` per file) and ``create_tag``.
        """
        return [
            {
                "op": "create_repo",
                "repo_id": self.repo_id,
                "repo_type": REPO_TYPE,
                "private": self.private,
                "exist_ok": True,
            },
            {
                "op": "create_commit",
                "repo_id": self.repo_id,
                "repo_type": REPO_TYPE,
                "commit_message": self.commit_message,
                "delete": "every remote file under data/ that is not uploaded below",
                "uploads": [
                    {
                        "path_in_repo": u.path_in_repo,
                        "size": u.size,
                        "sha256": u.sha256,
                        "rendered_for_hub": u.content is not None,
                    }
                    for u in self.uploads
                ],
            },
            {
                "op": "create_tag",
                "repo_id": self.repo_id,
                "repo_type": REPO_TYPE,
                "tag": self.tag,
                "revision": "<the commit above>",
                "tag_message": f"newsgold corpus {self.version}",
            },
        ]


def plan_publish(
    corpus: Path, repo_id: str, tag: str | None = None, *, private: bool = False
) -> PublishPlan:
    """Plan the publication of a built corpus folder (no network).

    Args:
        corpus: the corpus folder (``corpus/``).
        repo_id: ``OWNER/NAME`` of the dataset repository on the Hub.
        tag: the release tag; default ``corpus-v<VERSION>``. Must equal it.
        private: create the repository as private (when it does not exist yet).

    Returns:
        The plan.

    Raises:
        UsageError: a malformed repo id or tag, or a tag that is not the version.
        ValidationError: a missing corpus, or files that differ from the manifest.
    """
    if not _REPO_ID.match(repo_id) or "--" in repo_id or ".." in repo_id:
        raise UsageError(
            f"--repo-id: got {repo_id!r}, expected OWNER/NAME (letters, digits, '-', '_', '.')"
        )
    version_file = corpus / "VERSION"
    manifest_file = corpus / "manifest.json"
    for f in (version_file, manifest_file, corpus / "README.md"):
        if not f.is_file():
            raise ValidationError(
                [
                    Problem(
                        str(f),
                        None,
                        "$",
                        "no such file (expected a built corpus; run `newsgold build`)",
                    )
                ]
            )
    version = version_file.read_text(encoding="utf-8").strip()
    wanted = f"corpus-v{version}"
    if tag is None:
        tag = wanted
    if not _TAG.match(tag):
        raise UsageError(f"--tag: got {tag!r}, expected corpus-vMAJOR.MINOR.PATCH ({wanted})")
    if tag != wanted:
        raise UsageError(
            f"--tag: got {tag!r}, but {version_file} says {version} (expected {wanted}); "
            "bump the version in corpus/CHANGELOG.md and run `newsgold build` to release another"
        )
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        listed: dict[str, Any] = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            [
                Problem(
                    str(manifest_file),
                    None,
                    "$.files",
                    f"unreadable manifest ({exc}); run `newsgold build`",
                )
            ]
        ) from None
    problems = []
    uploads = []
    for path in sorted(listed):
        f = corpus / path
        if not f.is_file():
            problems.append(Problem(str(f), None, "$", "listed in manifest.json but missing"))
            continue
        data = f.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != listed[path].get("sha256"):
            problems.append(
                Problem(
                    str(f),
                    None,
                    "$",
                    f"sha256 {digest[:12]}… differs from manifest.json; run `newsgold build`",
                )
            )
        uploads.append(Upload(path, len(data), digest))
    if problems:
        raise ValidationError(problems)
    card_path = corpus / "README.md"
    card = hub_card(card_path.read_text(encoding="utf-8"), repo_id, tag, where=str(card_path))
    card_bytes = card.encode("utf-8")
    uploads = [u for u in uploads if u.path_in_repo != "README.md"]
    uploads.append(
        Upload("README.md", len(card_bytes), hashlib.sha256(card_bytes).hexdigest(), card_bytes)
    )
    listed["README.md"] = file_entry(card_bytes)
    rendered = manifest_bytes(manifest)
    uploads.append(
        Upload("manifest.json", len(rendered), hashlib.sha256(rendered).hexdigest(), rendered)
    )
    return PublishPlan(
        repo_id=repo_id,
        tag=tag,
        version=version,
        private=private,
        corpus=corpus,
        uploads=tuple(sorted(uploads, key=lambda u: u.path_in_repo)),
        commit_message=f"newsgold corpus {version} (gold sha256 {manifest.get('gold_sha256', '?')[:12]})",
    )


_HUB_LOADING = re.compile(
    r"<!-- newsgold:hub-loading -->\n.*?<!-- /newsgold:hub-loading -->\n", re.S
)


def hub_card(card: str, repo_id: str, tag: str, *, where: str = "README.md") -> str:
    r"""The dataset card as uploaded: its Hub loading paragraph names the repository and tag.

    ``newsgold build`` writes the card without a repository id (it is not known
    until publication); the paragraph between the ``newsgold:hub-loading``
    comments becomes the ``load_dataset`` call of this repository and release.

    Args:
        card: the text of ``corpus/README.md``.
        repo_id: ``OWNER/NAME`` of the dataset repository.
        tag: the release tag, ``corpus-vX.Y.Z``.
        where: the card's path, for the error message.

    Returns:
        The card to upload.

    Raises:
        ValidationError: when the card has no such paragraph (not a card of ``newsgold build``).

    >>> card = "x\n<!-- newsgold:hub-loading -->\nlater\n<!-- /newsgold:hub-loading -->\n"
    >>> print(hub_card(card, "me/ng", "corpus-v1.0.0"))
    x
    ```python
    from datasets import load_dataset
    <BLANKLINE>
    docs = load_dataset("me/ng", "documents", split="test", revision="corpus-v1.0.0")
    ```
    <BLANKLINE>
    """
    call = (
        "```python\nfrom datasets import load_dataset\n\n"
        f'docs = load_dataset("{repo_id}", "documents", split="test", revision="{tag}")\n```\n'
    )
    text, found = _HUB_LOADING.subn(lambda _: call, card, count=1)
    if found != 1:
        raise ValidationError(
            [
                Problem(
                    where,
                    None,
                    "$",
                    "no Hub loading paragraph (expected the card `newsgold build` writes); "
                    "run `newsgold build`",
                )
            ]
        )
    return text


def commit_operations(plan: PublishPlan, remote_files: Sequence[str] = ()) -> list[Any]:
    """The ``huggingface_hub`` commit operations of a plan.

    Args:
        plan: from :func:`plan_publish`.
        remote_files: the files the repository holds now (old data files not in
            this release are deleted, so the repository mirrors ``corpus/``).

    Returns:
        ``CommitOperationDelete`` then ``CommitOperationAdd`` objects.
    """
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    keep = {u.path_in_repo for u in plan.uploads}
    ops: list[Any] = [
        CommitOperationDelete(path_in_repo=p)
        for p in sorted(remote_files)
        if p.startswith("data/") and p not in keep
    ]
    ops += [
        CommitOperationAdd(
            path_in_repo=u.path_in_repo,
            path_or_fileobj=u.content
            if u.content is not None
            else str(plan.corpus / u.path_in_repo),
        )
        for u in plan.uploads
    ]
    return ops


def execute(plan: PublishPlan, api: HfApi | None = None) -> str:
    """Send a plan to the Hub: create the repo, commit the files, tag the commit.

    Args:
        plan: from :func:`plan_publish`.
        api: the client (default ``HfApi()``, which uses the saved token).

    Returns:
        The URL of the tagged revision.

    Raises:
        NewsgoldError: when the Hub refuses (with its message) or cannot be reached.
    """
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    client = api or HfApi()
    try:
        client.create_repo(plan.repo_id, repo_type=REPO_TYPE, private=plan.private, exist_ok=True)
        remote = client.list_repo_files(plan.repo_id, repo_type=REPO_TYPE)
        info = client.create_commit(
            plan.repo_id,
            commit_operations(plan, remote),
            commit_message=plan.commit_message,
            repo_type=REPO_TYPE,
        )
        oid = info.oid
        client.create_tag(
            plan.repo_id,
            tag=plan.tag,
            tag_message=f"newsgold corpus {plan.version}",
            revision=oid,
            repo_type=REPO_TYPE,
        )
    except (HfHubHTTPError, OSError) as exc:
        raise NewsgoldError(f"publishing to {plan.repo_id} failed: {exc}") from None
    return f"https://huggingface.co/datasets/{plan.repo_id}/tree/{plan.tag}"


def render_plan(plan: PublishPlan) -> str:
    """The plan for people: one line per operation and per file.

    >>> p = PublishPlan("me/newsgold", "corpus-v1.0.0", "1.0.0", False, Path("corpus"),
    ...                 (Upload("VERSION", 6, "ab" * 32),), "newsgold corpus 1.0.0")
    >>> print(render_plan(p))
    create_repo me/newsgold (dataset, public, exist_ok)
    create_commit me/newsgold: 'newsgold corpus 1.0.0'
      delete remote data/* files not in this release
      upload VERSION  6 bytes  sha256 abababababab…
    create_tag me/newsgold corpus-v1.0.0 -> that commit
    """
    lines = [
        f"create_repo {plan.repo_id} ({REPO_TYPE}, {'private' if plan.private else 'public'}, exist_ok)",
        f"create_commit {plan.repo_id}: {plan.commit_message!r}",
        "  delete remote data/* files not in this release",
    ]
    width = max((len(u.path_in_repo) for u in plan.uploads), default=0)
    lines += [
        f"  upload {u.path_in_repo:<{width}}  {u.size} bytes  sha256 {u.sha256[:12]}…"
        + ("  (rendered for the Hub)" if u.content is not None else "")
        for u in plan.uploads
    ]
    lines.append(f"create_tag {plan.repo_id} {plan.tag} -> that commit")
    return "\n".join(lines)
