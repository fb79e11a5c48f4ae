"""``tui-mlp serve``: the app in a web browser, for the person who started it and nobody else.

textual-serve starts one app process per WebSocket and checks nothing, so any web page the
person has open could connect (a cross-site WebSocket, or DNS rebinding) and drive the app
by keystrokes. This server is built from textual-serve's parts and lets a request through
only when

- its ``Host`` header names the served address (a rebound DNS name does not),
- a WebSocket's ``Origin`` is that same address (another site's page is refused), and
- it carries the random token printed at start, compared in constant time (as Jupyter does);

it runs at most ``max_sessions`` apps at once, and an app whose browser has gone is asked
to quit, then sent SIGTERM, then SIGKILL, a couple of seconds apart. The served apps get
``--files DIR``: their save, load and export stay inside that folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

HEARTBEAT_SECONDS = 5.0  # a browser that vanishes without closing is noticed within about this
STOP_SECONDS = 2.0  # between asking an app to quit, SIGTERM and SIGKILL
TOKEN_COOKIE = "tui-mlp-token"
MAX_MESSAGE_BYTES = 1 << 20
log = logging.getLogger("tui-mlp.serve")


class ServeError(Exception):
    """The server cannot start; the message is one line."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (``localhost``, 127.x.x.x or ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


def _url_host(host: str) -> str:
    """``host`` as a URL writes it (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host else host


def _authority(host: str, port: int) -> str:
    return f"{_url_host(host)}:{port}"


@dataclass(frozen=True)
class Gate:
    """Which requests may reach a server listening on ``host``:``port``."""

    host: str
    port: int
    token: str

    def host_ok(self, header: str | None) -> bool:
        """Whether a ``Host`` header names the served address (any name, on a wildcard address)."""
        name, _, port = (header or "").lower().rpartition(":")
        if port != str(self.port) or not name:
            return False
        if _is_wildcard(self.host):
            return True
        names = ("localhost", "127.0.0.1", "::1") if is_loopback(self.host) else (self.host,)
        return name in {_url_host(each.lower()) for each in names}

    def origin_ok(self, origin: str | None, host: str | None) -> bool:
        """Whether a request's ``Origin`` (absent outside browsers) is the page this server gave."""
        return origin is None or (self.host_ok(host) and origin.lower() == f"http://{host}".lower())

    def token_ok(self, given: str | None) -> bool:
        """Whether ``given`` is the token, compared in constant time."""
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())


@dataclass(frozen=True)
class ServeOptions:
    """What ``tui-mlp serve`` was asked for; ``app_args`` go to every served app."""

    host: str = "127.0.0.1"
    port: int = 8000
    files: Path = Path()
    max_sessions: int = 4
    app_args: tuple[str, ...] = ()

    def app_command(self) -> list[str]:
        """The command line of one served app."""
        return [sys.executable, "-m", "tui_mlp", *self.app_args, "--files", str(self.files.resolve())]


class AppProcess(AppService):
    """One served app: started without a shell in a process group of its own, drained
    while it lives, and ended for certain when its browser goes."""

    def __init__(self, command: Sequence[str], **options: Any) -> None:
        super().__init__(shlex.join(command), **options)
        self.argv = list(command)

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_data(self, payload: bytes) -> None:
        # A browser that has gone cannot take the screen; reading on keeps the app from
        # blocking on a full pipe while it shuts down.
        with contextlib.suppress(ConnectionError, RuntimeError):
            await super().on_data(payload)

    async def stop(self) -> None:
        """Ask the app to quit; SIGTERM, then SIGKILL its process group if it has not ended."""
        process = self._process
        if process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        with contextlib.suppress(ConnectionError, RuntimeError, AssertionError):
            await self.send_meta({"type": "quit"})
        for signum in (None, signal.SIGTERM, signal.SIGKILL):
            if signum is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signum)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
                break
        if self._task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._task, STOP_SECONDS)
            self._task = None

    def kill(self) -> None:
        """SIGKILL the app's process group now (the server is going)."""
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)


@web.middleware
async def _check_host(request: web.Request, handler: Any) -> web.StreamResponse:
    """Every request must name the served address in its ``Host`` header."""
    gate: Gate = request.app["gate"]
    if not gate.host_ok(request.headers.get("Host")):
        log.warning("refused a request for host %r", request.headers.get("Host"))
        raise web.HTTPForbidden(text="tui-mlp: this server answers only to the address it printed.\n")
    return await handler(request)


class GuardedServer(Server):
    """textual-serve's server behind a :class:`Gate`, with a limit on sessions."""

    def __init__(self, options: ServeOptions, token: str | None = None) -> None:
        super().__init__(shlex.join(options.app_command()), host=options.host, port=options.port, title="tui-mlp")
        self.options = options
        self.gate = Gate(options.host, options.port, token or secrets.token_urlsafe(32))
        self.sessions: set[AppProcess] = set()
        self.url = f"http://{_authority(self._shown_host(), options.port)}/?token={self.gate.token}"

    def _shown_host(self) -> str:
        return socket.gethostname() if _is_wildcard(self.options.host) else self.options.host

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[_check_host])
        app["gate"] = self.gate
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, for a request with the token; it sets a cookie so downloads work too."""
        if not self.gate.token_ok(request.query.get("token")):
            log.warning("refused the page without the token")
            raise web.HTTPForbidden(text="tui-mlp: open the address `tui-mlp serve` printed, with its token.\n")
        if len(self.sessions) >= self.options.max_sessions:
            raise web.HTTPServiceUnavailable(text=self._full_text())
        host = request.host
        context = {
            "font_size": _to_int(request.query.get("fontsize"), 16),
            "app_websocket_url": f"ws://{host}/ws/{self.gate.token}",
            "config": {"static": {"url": f"http://{host}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.set_cookie(TOKEN_COOKIE, self.gate.token, httponly=True, samesite="Strict")
        response.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if not self.gate.token_ok(request.cookies.get(TOKEN_COOKIE)):
            raise web.HTTPForbidden(text="tui-mlp: downloads need the page's token.\n")
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """Run one app for one browser, if the request passes the gate and there is room."""
        origin, host = request.headers.get("Origin"), request.headers.get("Host")
        if not self.gate.token_ok(request.match_info["token"]):
            log.warning("refused a connection without the token")
            raise web.HTTPForbidden(text="tui-mlp: wrong token.\n")
        if not self.gate.origin_ok(origin, host):
            log.warning("refused a connection from a page of %r", origin)
            raise web.HTTPForbidden(text="tui-mlp: connections from other sites are refused.\n")
        if len(self.sessions) >= self.options.max_sessions:
            log.warning("refused a connection: %d sessions are running, the limit", len(self.sessions))
            raise web.HTTPServiceUnavailable(text=self._full_text())
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS, max_msg_size=MAX_MESSAGE_BYTES)
        await websocket.prepare(request)
        session = AppProcess(
            self.options.app_command(),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions.add(session)
        self.console.print(f"Session started ({len(self.sessions)} of at most {self.options.max_sessions})")
        try:
            await session.start(_to_int(request.query.get("width"), 80), _to_int(request.query.get("height"), 24))
            await self._process_messages(websocket, session)
        except Exception as error:  # a malformed message from the browser ends its session, not the server
            log.warning("ended a session after a malformed message (%s)", type(error).__name__)
        finally:
            await asyncio.shield(session.stop())
            self.sessions.discard(session)
            self.console.print(f"Session ended ({len(self.sessions)} running)")
            await websocket.close()
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(session.stop() for session in list(self.sessions)))

    def _full_text(self) -> str:
        return f"tui-mlp: {self.options.max_sessions} sessions are running, the most this server allows.\n"

    async def run(self) -> None:
        """Listen, print the address with its token, and serve until SIGINT or SIGTERM."""
        logging.basicConfig(level=logging.WARNING, format="tui-mlp serve: %(message)s")
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.options.host, self.options.port).start()
        except OSError as error:
            await runner.cleanup()
            reason = os.strerror(error.errno) if error.errno else str(error)  # not asyncio's long wording
            raise ServeError(f"cannot listen on {_authority(self.options.host, self.options.port)}: {reason}") from None
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, stop.set)
        self.console.print(f"Serving tui-mlp on [link={self.url}]{self.url}[/]", highlight=False, soft_wrap=True)
        self.console.print(
            f"Open that address in a browser: anyone who has it can use the app and the files in "
            f"{self.options.files.resolve()}. Ctrl+C stops.",
            highlight=False,
        )
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
            for session in self.sessions:  # any that did not end in time
                session.kill()


def _to_int(text: str | None, default: int) -> int:
    try:
        return max(1, min(int(text or default), 1000))
    except ValueError:
        return default


def serve(options: ServeOptions, token: str | None = None) -> None:
    """Serve the app until SIGINT or SIGTERM (ServeError if the address cannot be used)."""
    asyncio.run(GuardedServer(options, token).run())
