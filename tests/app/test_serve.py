"""``tui-mlp serve`` against a real WebSocket client: only the page it printed may drive the app.

Each test starts the real server (``python -m tui_mlp ... serve``) on a free port, reads the
address with its token from what it prints, and talks to it with aiohttp as a browser would,
or as another web page in the same browser would (another ``Origin``, a rebound ``Host``).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest

from tui_mlp.app.serve import Gate

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(rb"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """A running ``tui-mlp serve`` and the address it printed."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, token: str) -> None:
        self.process, self.port, self.token = process, port, token
        self.base = f"http://127.0.0.1:{port}"

    @property
    def page(self) -> str:
        return f"{self.base}/?token={self.token}"

    def ws(self, token: str | None = None) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/{token or self.token}?width=100&height=30"

    def apps(self) -> list[int]:
        """Process ids of the apps this server runs (each leads a process group of its own)."""
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in found.split()]


def start_server(folder: Path, *args: str) -> tuple[subprocess.Popen[bytes], bytes]:
    """``python -m tui_mlp *args`` in ``folder``; its process and what it printed first."""
    env = os.environ | {"PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_mlp", *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    return process, line


@contextmanager
def served(folder: Path, *args: str, options: tuple[str, ...] = ()) -> Iterator[Served]:
    port = free_port()
    process, line = start_server(folder, *args, "serve", "--port", str(port), *options)
    try:
        match = URL.search(line)
        assert match, (line, process.stderr.read() if process.poll() is not None else b"")
        yield Served(process, int(match[1]), match[2].decode())
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise


async def receive_screen(ws: aiohttp.ClientWebSocketResponse, marker: bytes, timeout: float = 20) -> bytes:
    """What the app draws until ``marker`` appears."""
    screen = b""
    end = time.monotonic() + timeout
    while marker not in screen:
        message = await ws.receive(timeout=max(0.1, end - time.monotonic()))
        assert message.type == aiohttp.WSMsgType.BINARY, message
        screen += message.data
    return screen


async def keys(ws: aiohttp.ClientWebSocketResponse, *presses: str) -> None:
    for press in presses:
        await ws.send_str(json.dumps(["stdin", press]))


def run(coroutine):
    return asyncio.run(coroutine)


# --- the gate -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("evil.example:8000", False),  # DNS rebinding: another name for this address
        ("127.0.0.1.evil.example:8000", False),
        ("127.0.0.1:8001", False),
        ("127.0.0.1", False),
        ("", False),
        (None, False),
    ],
)
def test_the_gate_takes_only_the_served_address_as_host(host: str | None, allowed: bool) -> None:
    assert Gate("127.0.0.1", 8000, "t").host_ok(host) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://evil.example", False),
        ("http://127.0.0.1:8001", False),
        ("https://127.0.0.1:8000", False),
        ("null", False),  # a sandboxed frame or a file:// page
        (None, True),  # not a browser: the token still decides
    ],
)
def test_the_gate_takes_only_its_own_page_as_origin(origin: str | None, allowed: bool) -> None:
    assert Gate("127.0.0.1", 8000, "t").origin_ok(origin, "127.0.0.1:8000") is allowed


def test_the_token_must_match_exactly() -> None:
    gate = Gate("127.0.0.1", 8000, "secret-token")
    assert gate.token_ok("secret-token")
    for wrong in ("", "secret-toke", "secret-token2", "SECRET-TOKEN", None):
        assert not gate.token_ok(wrong)


# --- the running server ---------------------------------------------------------------


def test_the_page_needs_the_token_and_the_served_host(tmp_path: Path) -> None:
    async def probe(server: Served) -> None:
        async with aiohttp.ClientSession() as client:
            async with client.get(server.page) as page:
                assert page.status == 200
                text = await page.text()
                assert f"ws://127.0.0.1:{server.port}/ws/{server.token}" in text
                assert page.cookies["tui-mlp-token"].value == server.token
            for url in (server.base + "/", server.base + "/?token=wrong"):
                async with client.get(url) as refused:
                    assert refused.status == 403
            async with client.get(server.page, headers={"Host": f"evil.example:{server.port}"}) as rebound:
                assert rebound.status == 403
            async with client.get(server.base + "/static/js/textual.js", headers={"Host": "evil.example"}) as rebound:
                assert rebound.status == 403

    with served(tmp_path) as server:
        run(probe(server))
        assert server.apps() == []  # no page view starts an app


@pytest.mark.parametrize(
    ("path_token", "origin", "status"),
    [
        ("wrong-token", None, 403),
        (None, "http://evil.example", 403),  # another web page in the person's browser
        (None, "null", 403),
    ],
    ids=["no token", "other site", "null origin"],
)
def test_a_websocket_without_the_token_or_from_another_page_is_refused(
    tmp_path: Path, path_token: str | None, origin: str | None, status: int
) -> None:
    async def probe(server: Served) -> None:
        headers = {"Origin": origin} if origin else {}
        async with aiohttp.ClientSession() as client:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(server.ws(path_token), headers=headers)
            assert refused.value.status == status
            async with client.get(f"{server.base}/ws", headers=headers) as old_address:
                assert old_address.status == 404  # textual-serve's open /ws is not there

    with served(tmp_path) as server:
        run(probe(server))
        assert server.apps() == []


def test_the_printed_page_drives_the_app_with_the_options_before_serve_and_its_files_folder(tmp_path: Path) -> None:
    """Options before ``serve`` reach the app; ctrl+s writes into ``--files``, not the working folder."""
    files = tmp_path / "files"
    files.mkdir()

    async def session(server: Served) -> None:
        origin = {"Origin": f"http://127.0.0.1:{server.port}"}
        async with aiohttp.ClientSession() as client, client.ws_connect(server.ws(), headers=origin) as ws:
            await receive_screen(ws, b"Train")
            await keys(ws, "\r")
            await receive_screen(ws, b"done")
            await keys(ws, "\x13")  # ctrl+s
            end = time.monotonic() + 20
            while not list(files.glob("*.txt")) and time.monotonic() < end:
                await ws.receive(timeout=1)

    with served(tmp_path, "--hidden", "3", "--seed", "4", "--epochs", "200", options=("--files", str(files))) as server:
        run(session(server))
        snapshots = list(files.glob("tui-mlp-*.txt"))
        assert len(snapshots) == 1 and list(tmp_path.glob("*.txt")) == []
        text = snapshots[0].read_text()
        assert "network: 4-3-2\n" in text and "seed: 4\n" in text and "epochs: 200 of 200\n" in text


def test_a_closed_browser_ends_its_app_within_seconds(tmp_path: Path) -> None:
    async def session(server: Served) -> list[int]:
        async with aiohttp.ClientSession() as client:
            ws = await client.ws_connect(server.ws())
            await receive_screen(ws, b"Train")
            await keys(ws, "\r")  # a long run is training when the browser goes
            await receive_screen(ws, b"epochs/s")
            apps = server.apps()
            ws._response.connection.transport.abort()  # the tab is killed: no closing handshake
            return apps

    with served(tmp_path, "--epochs", "10000000") as server:
        apps = run(session(server))
        assert len(apps) == 1
        end = time.monotonic() + 5
        while time.monotonic() < end and _alive(apps[0]):
            time.sleep(0.05)
        assert not _alive(apps[0]), "the app outlived its browser by 5 s"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
    return status not in ("Z", "X")


def test_sessions_beyond_the_limit_are_refused(tmp_path: Path) -> None:
    async def sessions(server: Served) -> None:
        async with aiohttp.ClientSession() as client, client.ws_connect(server.ws()) as first:
            await receive_screen(first, b"Train")
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(server.ws())
            assert refused.value.status == 503
            async with client.get(server.page) as page:
                assert page.status == 503

    with served(tmp_path, options=("--max-sessions", "1")) as server:
        run(sessions(server))


def test_a_busy_port_is_one_line_and_nothing_claims_to_serve(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process, first = start_server(tmp_path, "serve", "--port", str(port))
        out, err = process.communicate(timeout=20)
    assert process.returncode == 1
    assert first + out == b""
    assert err.decode().strip() == f"tui-mlp: cannot listen on 127.0.0.1:{port}: Address already in use"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "example.com"])
def test_another_host_than_loopback_needs_allow_remote(tmp_path: Path, host: str) -> None:
    process, first = start_server(tmp_path, "serve", "--host", host, "--port", str(free_port()))
    out, err = process.communicate(timeout=20)
    assert process.returncode == 2 and first + out == b""
    assert "--allow-remote" in err.decode() and len(err.decode().strip().splitlines()) == 1
