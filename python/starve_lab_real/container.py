"""Plain uvicorn as a Kubernetes container, for `starve-lab run <kubelet scenario> --stack real`.

The usual deployment of an ASGI app in a pod is `uvicorn main:app` with no gunicorn: the kubelet's
liveness probe is its only judge. This runs the installed uvicorn's own Server (its main loop and
100 ms tick untouched) on the app, and adds only what the lab needs around it:
- the lab's protocol over Node's IPC channel (NODE_CHANNEL_FD, one JSON object per line): `armed`
  once Python and uvicorn are imported (start-up stays off the clock), then wait for `go`, then
  `listening` with the port the kubelet's probe goes to;
- the shared socket at fd 5 (the Service) and, for a probe answered on the loop, a second loopback
  socket of the same server (the lab cannot tell containers apart on the shared one);
- the health strategy: the app's loop (a health route), a thread off the loop (`http.server`, 200 while
  the loop ticked within loopStaleMs, 503 after; it needs the GIL like any Python thread), or the
  heartbeat file at fd 4 (its ctime, as gunicorn's notify sets it) touched every tick;
- trace events: each tick with the handlers since the last, each request's start and end.
SIGTERM is uvicorn's own: it stops serving once its loop turns (a hung loop never does: SIGKILL).
"""

from __future__ import annotations

import asyncio
import http.server
import importlib
import json
import os
import socket
import sys
import threading
import time
from typing import Any, Dict, List, Optional

from uvicorn.config import Config

from . import trace
from .lifetime import die_with_parent
from .settings import SETTINGS, Health
from .traced_app import Asgi, traced_app
from .traced_server import TracedServer

HEARTBEAT_FD = 4
LISTEN_FD = 5
_last_tick = [time.monotonic()]


def tell(message: Dict[str, Any]) -> None:
    if SETTINGS.channel_fd >= 0:
        os.write(SETTINGS.channel_fd, (json.dumps(message) + "\n").encode())


def wait_for_go() -> None:
    """Reads the channel until the supervisor's `go` (or its end: then leave)."""
    buffered = b""
    while True:
        chunk = os.read(SETTINGS.channel_fd, 4096)
        if not chunk:
            sys.exit(0)
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            try:
                if json.loads(line).get("type") == "go":
                    return
            except ValueError:
                continue


def load_app() -> Asgi:
    module, attribute = SETTINGS.app.split(":", 1)
    app: Asgi = getattr(importlib.import_module(module), attribute)
    return traced_app(app) if SETTINGS.user_app else app


def health_route(app: Asgi, path: str) -> Asgi:
    """health-on-loop: the health path answered by an ASGI route on the loop (what most apps have)."""

    async def wrapper(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == path:
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"ok\n"})
            return
        return await app(scope, receive, send)

    return wrapper


def start_health_thread(health: Health) -> int:
    """health-off-loop: a thread of its own answers from the loop's last tick; returns its port."""
    path, stale_s = health.path, health.loop_stale_ms / 1000

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            age = time.monotonic() - _last_tick[0]
            status = (200 if age < stale_s else 503) if self.path.split("?")[0] == path else 404
            body = ("loop ticked %d ms ago\n" % (age * 1000)).encode()
            self.send_response(status)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, name="starve-lab-health", daemon=True).start()
    return int(server.server_address[1])


class ContainerServer(TracedServer):
    """uvicorn's Server, unchanged but for the lab's tick record and the health stamp on each tick."""

    async def on_tick(self, counter: int) -> bool:
        _last_tick[0] = time.monotonic()
        if SETTINGS.health is not None and SETTINGS.health.answered_by == "file":
            # gunicorn's notify: flip the mode, so the ctime is now.
            os.fchmod(HEARTBEAT_FD, 0o600 if counter % 2 else 0o400)
        return await super().on_tick(counter)


def probe_sockets(health: Optional[Health]) -> "tuple[List[socket.socket], Optional[int]]":
    """The shared socket (the Service) and, for a probe answered on the loop or by the kernel, a second
    loopback socket of the same server: the lab cannot tell containers apart on the shared one."""
    sockets = [socket.socket(fileno=LISTEN_FD)]
    answered_by = None if health is None else health.answered_by
    if answered_by in ("loop", "kernel"):
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.bind(("127.0.0.1", 0))
        probe.listen(511)
        sockets.append(probe)
        return sockets, int(probe.getsockname()[1])
    if answered_by == "thread" and health is not None:
        return sockets, start_health_thread(health)
    return sockets, None


def main() -> None:
    die_with_parent()
    trace.open_trace()
    app = load_app()
    health = SETTINGS.health
    if health is not None and health.answered_by == "loop":
        app = health_route(app, health.path)
    config = Config(app=app, loop=SETTINGS.loop, http=SETTINGS.http, lifespan="off", log_level="warning", access_log=False, timeout_keep_alive=SETTINGS.keep_alive_s)
    config.load()
    sockets, probe_port = probe_sockets(health)
    tell({"type": "armed"})
    wait_for_go()
    trace.write("worker-start", pid=os.getpid(), notifier=SETTINGS.notifier, loop=SETTINGS.loop)
    server = ContainerServer(config=config)

    async def serve() -> None:
        serving = asyncio.ensure_future(server.serve(sockets=sockets))
        while not server.started and not serving.done():
            await asyncio.sleep(0.001)
        _last_tick[0] = time.monotonic()
        if server.started:
            tell({"type": "listening", "probePort": probe_port})
        await serving

    if SETTINGS.loop == "uvloop":
        import uvloop

        uvloop.install()
    asyncio.run(serve())


if __name__ == "__main__":
    main()
