"""A real Label Studio server for the integration tests: one per test session.

``scripts/setup-label-studio.sh`` installs label-studio into its own virtual
environment outside the repository and prepares a migrated template database
with two users and their legacy API tokens. Here the template is copied to a
temporary folder and the server is started on 127.0.0.1 on a free port (it
would silently move to another port when the asked one is busy, so the log is
checked for the port), ``/health`` is awaited, and the server is stopped at the
end of the session, also when tests fail.

Test modules import the ``ls_server`` fixture from here.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LS_VERSION = "1.23.2"
VENV = Path(
    os.environ.get(
        "NEWSGOLD_LS_VENV", Path.home() / ".cache" / "newsgold" / f"label-studio-{LS_VERSION}"
    )
)
#: The users the setup script creates in the template database.
USERS = (
    ("annotator1@newsgold.test", "newsgold-token-annotator1"),
    ("annotator2@newsgold.test", "newsgold-token-annotator2"),
)
START_TIMEOUT = 90.0


@dataclass(frozen=True)
class LabelStudioServer:
    """A running server.

    Attributes:
        url: its base URL (``http://127.0.0.1:<port>``).
        email: the first annotator's e-mail.
        token: the first annotator's API token.
        email2: the second annotator's e-mail.
        token2: the second annotator's API token.
        log: the server's log file.
    """

    url: str
    email: str
    token: str
    email2: str
    token2: str
    log: Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ensure_installed() -> None:
    stamp = VENV / ".newsgold-ready"
    if not stamp.is_file() or not (VENV / "bin" / "label-studio").exists():
        subprocess.run(["bash", str(ROOT / "scripts" / "setup-label-studio.sh")], check=True)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # its own session: the server and its workers
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudioServer]:
    """Start Label Studio on 127.0.0.1 from a copy of the migrated template; stop it afterwards."""
    _ensure_installed()
    base = tmp_path_factory.mktemp("label-studio")
    data = base / "data"
    shutil.copytree(VENV / "newsgold-template", data)
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("USERNAME", "PASSWORD", "USER_TOKEN", "PORT", "HOST")
    }
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(data),
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
        DJANGO_DB="sqlite",
        LATEST_VERSION_CHECK="false",  # no call to pypi.org at start
        CONVERTER_DOWNLOAD_RESOURCES="false",
    )
    log = base / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [
                str(VENV / "bin" / "label-studio"),
                "start",
                "--no-browser",
                "--internal-host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data-dir",
                str(data),
                "--database",
                str(data / "label_studio.sqlite3"),
            ],
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=base,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(
                    f"Label Studio exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Label Studio not healthy after {START_TIMEOUT} s:\n{log.read_text()[-3000:]}"
                )
            time.sleep(0.25)
        # healthy on our port, but is it *our* server? It moves silently when the port is busy.
        if f"127.0.0.1:{port}/" not in log.read_text(errors="replace"):
            pytest.fail(
                f"Label Studio is not listening on 127.0.0.1:{port}:\n{log.read_text()[-3000:]}"
            )
        yield LabelStudioServer(url, USERS[0][0], USERS[0][1], USERS[1][0], USERS[1][1], log)
    finally:
        _stop(proc)
