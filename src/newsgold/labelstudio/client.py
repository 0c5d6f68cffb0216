"""Push tasks to a Label Studio server and pull them back (over ``label-studio-sdk``).

The conversion itself is pure and lives in the other modules of
:mod:`newsgold.labelstudio`; this module only talks to the server: it retries
transient failures (network errors, HTTP 429 and 5xx) with exponential
backoff, shows a progress bar on long pushes, and turns every failure into one
clear :class:`LabelStudioError` line: server down, wrong API key, unknown project.

The SDK (about 900 MB of dependencies) is the optional extra
``newsgold[labelstudio]`` and is imported only when a command needs it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import NewsgoldError

T = TypeVar("T")

#: Tasks per import request: small enough for a progress bar to move, large enough to be quick.
BATCH_SIZE = 10
#: Attempts per request before giving up on a transient error.
ATTEMPTS = 4
#: First backoff delay in seconds; doubled after each failed attempt.
BACKOFF = 0.5
#: Seconds to wait for an export snapshot to be built.
EXPORT_TIMEOUT = 120.0


class LabelStudioError(NewsgoldError):
    """Talking to Label Studio failed: the message is one line saying what and how to fix it."""


def _sdk() -> Any:
    try:
        import label_studio_sdk
    except ImportError:
        raise LabelStudioError(
            "label-studio-sdk is not installed: pip install 'newsgold[labelstudio]'"
        ) from None
    return label_studio_sdk


def _transient(exc: BaseException) -> bool:
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    if isinstance(exc, httpx.TransportError):
        return True
    return isinstance(exc, ApiError) and (exc.status_code == 429 or (exc.status_code or 0) >= 500)


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("detail", "validation_errors", "message"):
            if body.get(key):
                value = body[key]
                return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = str(body)
    return text if len(text) <= 200 else text[:199] + "…"


class Server:
    """A connection to one Label Studio server, checked on creation.

    Args:
        url: the server's base URL, e.g. ``http://127.0.0.1:8080``.
        api_key: a user's API token (Label Studio: Account & Settings; a legacy token).
        timeout: seconds per HTTP request.
        sleep: the function used to wait between retries (tests pass a recorder).

    Raises:
        LabelStudioError: the SDK is missing, the server cannot be reached, or it refuses the key.
    """

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        sdk = _sdk()
        import httpx

        self.url = url.rstrip("/")
        self._key = api_key
        self._sleep = sleep
        # our own HTTP client, so that close() really closes its connections
        self._http = httpx.Client(timeout=timeout, follow_redirects=True)
        # the SDK's own retries are off: ours below back off and report one clear line
        self.client = sdk.LabelStudio(
            base_url=self.url,
            api_key=api_key,
            timeout=timeout,
            max_retries=0,
            httpx_client=self._http,
        )
        try:
            self.user = self.call(self.client.users.whoami, what="check the API key")
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    def call(
        self,
        fn: Callable[..., T],
        *args: Any,
        what: str,
        not_found: str | None = None,
        **kwargs: Any,
    ) -> T:
        """Call the SDK, retrying transient failures with exponential backoff.

        Args:
            fn: the SDK method.
            *args: its positional arguments.
            what: what the call does, for the error message ("create the project").
            not_found: the message for HTTP 404, when that has a clear meaning.
            **kwargs: its keyword arguments.

        Returns:
            What ``fn`` returns.

        Raises:
            LabelStudioError: one line naming the server and the cause.
        """
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        delay = BACKOFF
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except (httpx.HTTPError, ApiError) as exc:
                if _transient(exc) and attempt < ATTEMPTS:
                    self._sleep(delay)
                    delay *= 2
                    continue
                if not_found is not None and getattr(exc, "status_code", None) == 404:
                    raise LabelStudioError(not_found) from None
                raise self._error(exc, what, attempt) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, exc: BaseException, what: str, attempts: int) -> LabelStudioError:
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        if isinstance(exc, httpx.ConnectError):
            return LabelStudioError(
                f"cannot reach Label Studio at {self.url}: connection refused{tries} "
                "(is the server running, and is the URL right?)"
            )
        if isinstance(exc, httpx.TimeoutException):
            return LabelStudioError(f"Label Studio at {self.url} did not answer in time{tries}")
        if isinstance(exc, httpx.HTTPError):
            return LabelStudioError(f"cannot talk to Label Studio at {self.url}: {exc}{tries}")
        assert isinstance(exc, ApiError)
        status = exc.status_code
        if status == 401:
            return LabelStudioError(
                f"Label Studio at {self.url} refused the API key (401 {_detail(exc.body)}): "
                "pass a user's token with --api-key (Account & Settings in the UI)"
            )
        if status == 403:
            return LabelStudioError(
                f"Label Studio at {self.url} does not allow this user to {what} (403 {_detail(exc.body)})"
            )
        return LabelStudioError(
            f"Label Studio at {self.url} failed to {what}: HTTP {status} {_detail(exc.body)}{tries}"
        )

    # ------------------------------------------------------------------ projects

    def project_id(self, project: int) -> int:
        """Check that a project exists.

        Args:
            project: the project id.

        Returns:
            The id.

        Raises:
            LabelStudioError: no such project (or not visible to this user).
        """
        found = self.call(
            self.client.projects.get,
            id=project,
            what=f"read project {project}",
            not_found=(
                f"no project {project} on Label Studio at {self.url} "
                "(expected the id shown in the project's URL, /projects/<id>)"
            ),
        )
        return int(found.id)

    def users(self) -> dict[int, str]:
        """The server's users: id → e-mail (to name annotators of a plain export)."""
        found = self.call(self.client.users.list, what="list the users")
        return {int(u.id): str(u.email) for u in found if u.id is not None and u.email}

    def find_project(self, title: str) -> int | None:
        """The id of the project with this title, or ``None``."""
        pager = self.call(self.client.projects.list, title=title, what="list projects")
        for p in pager:
            if p.title == title:
                return int(p.id)
        return None

    def push(
        self,
        title: str,
        label_config: str,
        tasks: Sequence[dict[str, Any]],
        *,
        progress: bool = True,
        team: Team | None = None,
    ) -> tuple[int, list[int]]:
        """Create a project and import the tasks (annotations and predictions included).

        Args:
            title: the new project's title; must not exist yet.
            label_config: the labeling config XML.
            tasks: the tasks (from :func:`~newsgold.labelstudio.tasks.to_task`).
            progress: show a progress bar on stderr.
            team: the project's settings for a team of annotators (``None``:
                Label Studio's defaults, one annotation per task).

        Returns:
            ``(project id, task ids)``.

        Raises:
            LabelStudioError: the title is taken, or the server fails.
        """
        existing = self.find_project(title)
        if existing is not None:
            raise LabelStudioError(
                f"a project titled {title!r} already exists on {self.url} (id {existing}); "
                "pick another --project title"
            )
        settings = {} if team is None else team.settings()
        project = self.call(
            self.client.projects.create,
            title=title,
            label_config=label_config,
            **settings,
            what="create the project",
        )
        pid = int(project.id)
        ids: list[int] = []
        batches = [tasks[i : i + BATCH_SIZE] for i in range(0, len(tasks), BATCH_SIZE)]
        with _progress(progress, len(tasks), f"push to project {pid}") as advance:
            for batch in batches:
                response = self.call(
                    self.client.projects.import_tasks,
                    id=pid,
                    request=list(batch),
                    return_task_ids=True,
                    what=f"import tasks into project {pid}",
                )
                ids += [int(i) for i in (response.task_ids or [])]
                advance(len(batch))
        if len(ids) != len(tasks):
            raise LabelStudioError(
                f"Label Studio at {self.url} created {len(ids)} tasks for {len(tasks)} documents "
                f"in project {pid}"
            )
        return pid, ids

    def export(self, project: int) -> list[Any]:
        """Export every task of a project with full annotations and predictions.

        Uses an export snapshot with ``serialization_options`` asking for whole
        predictions (the plain export gives only their ids) and the annotators'
        e-mails; the snapshot is deleted afterwards.

        Args:
            project: the project id.

        Returns:
            The parsed JSON export: a list of tasks.

        Raises:
            LabelStudioError: unknown project, export failed, or the server fails.
        """
        pid = self.project_id(project)
        snapshot = self.call(
            self.client.projects.exports.create,
            id=pid,
            title="newsgold pull",
            serialization_options={
                "predictions": {"only_id": False},
                "annotations__completed_by": {"only_id": False},
                "drafts": {"only_id": False},
            },
            what=f"create an export of project {pid}",
        )
        try:
            deadline = time.monotonic() + EXPORT_TIMEOUT
            status = snapshot.status
            while status not in ("completed", "failed"):
                if time.monotonic() > deadline:
                    raise LabelStudioError(
                        f"the export of project {pid} on {self.url} did not finish in {EXPORT_TIMEOUT:.0f} s"
                    )
                self._sleep(0.2)
                status = self.call(
                    self.client.projects.exports.get,
                    id=pid,
                    export_pk=snapshot.id,
                    what=f"check the export of project {pid}",
                ).status
            if status == "failed":
                raise LabelStudioError(f"Label Studio at {self.url} failed to export project {pid}")
            chunks = self.call(
                lambda: b"".join(
                    self.client.projects.exports.download(
                        id=pid, export_pk=snapshot.id, export_type="JSON"
                    )
                ),
                what=f"download the export of project {pid}",
            )
        finally:
            try:
                self.client.projects.exports.delete(id=pid, export_pk=snapshot.id)
            except Exception:  # noqa: BLE001 - cleanup only; the real error (if any) is raised
                pass
        try:
            data = json.loads(chunks.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LabelStudioError(
                f"the export of project {pid} from {self.url} is not JSON: {exc}"
            ) from None
        if not isinstance(data, list):
            raise LabelStudioError(
                f"the export of project {pid} from {self.url} is not a list of tasks"
            )
        return data

    def progress(self, project: int) -> list[TaskProgress]:
        """Who has done what on every task of a project: submitted, draft, skipped.

        Args:
            project: the project id.

        Returns:
            One :class:`TaskProgress` per task, by task id; annotators by e-mail.

        Raises:
            LabelStudioError: unknown project, or the server fails.
        """
        pid = self.project_id(project)
        out = []
        for listed in self.call(
            self.client.tasks.list, project=pid, what=f"list the tasks of project {pid}"
        ):
            tid = int(listed.id)
            # the task itself lists skipped (cancelled) annotations too, with the e-mails
            task = self.call(self._get, f"/api/tasks/{tid}", what=f"read task {tid}")
            drafts = self.call(
                self._get, f"/api/tasks/{tid}/drafts", what=f"list the drafts of task {tid}"
            )
            submitted: set[str] = set()
            skipped: set[str] = set()
            for ann in task.get("annotations") or ():
                who = _who(ann.get("completed_by"))
                (skipped if ann.get("was_cancelled") else submitted).add(who)
            drafted = {_who(d.get("user")) for d in drafts if d.get("annotation") is None}
            out.append(
                TaskProgress(
                    tid,
                    str((task.get("data") or {}).get("doc_id", "")),
                    frozenset(submitted),
                    frozenset(drafted - submitted - skipped),
                    frozenset(skipped),
                )
            )
        return sorted(out, key=lambda t: t.task_id)

    def _get(self, path: str) -> Any:
        """A GET the SDK has no method for (drafts), with the client's own authentication."""
        response = self._http.get(self.url + path, headers={"Authorization": f"Token {self._key}"})
        if response.status_code >= 400:
            from label_studio_sdk.core.api_error import ApiError

            raise ApiError(status_code=response.status_code, body=response.text)
        return response.json()


def _who(user: Any) -> str:
    """An annotator's e-mail from an annotation's ``completed_by`` or a draft's ``user``."""
    if isinstance(user, dict):
        user = user.get("email") or user.get("id")
    return str(user)


@dataclass(frozen=True)
class Team:
    """How a project is set up for a team of annotators.

    Attributes:
        annotators: how many annotators annotate every task (the overlap).
        instructions: the guideline as HTML, shown before labeling.
        model_version: the pre-annotations to show annotators (``None``: none).
        extra_annotations: annotations already in the tasks that count towards
            Label Studio's maximum per task (1 when the gold goes in as annotations).
    """

    annotators: int
    instructions: str
    model_version: str | None = None
    extra_annotations: int = 0

    def settings(self) -> dict[str, Any]:
        """The project settings: every annotator gets every task; instructions first."""
        out: dict[str, Any] = {
            "maximum_annotations": self.annotators + self.extra_annotations,
            "overlap_cohort_percentage": 100,
            "show_overlap_first": True,
            "expert_instruction": self.instructions,
            "show_instruction": True,
            "show_skip_button": True,
            "show_collab_predictions": self.model_version is not None,
        }
        if self.model_version is not None:
            out["model_version"] = self.model_version
        return out


@dataclass(frozen=True)
class TaskProgress:
    """The state of one task: which annotators submitted, hold a draft, or skipped it.

    Attributes:
        task_id: Label Studio's task id.
        doc_id: the document.
        submitted: e-mails of annotators with a submitted annotation.
        draft: e-mails of annotators with an unsubmitted draft only.
        skipped: e-mails of annotators who skipped (cancelled) the task.
    """

    task_id: int
    doc_id: str
    submitted: frozenset[str]
    draft: frozenset[str]
    skipped: frozenset[str]

    def state(self, annotator: str) -> str:
        """``submitted``, ``draft``, ``skipped`` or ``missing`` for one annotator."""
        for name in ("submitted", "skipped", "draft"):
            if annotator in getattr(self, name):
                return name
        return "missing"


class _progress:
    """A rich progress bar on stderr, or nothing (``enabled=False``)."""

    def __init__(self, enabled: bool, total: int, description: str) -> None:
        self.enabled = enabled
        self.total = total
        self.description = description
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[int], None]:
        if not self.enabled:
            return lambda _n: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task(self.description, total=self.total)
        return lambda n: self._bar.advance(self._task, n)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
