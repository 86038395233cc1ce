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

import asyncio
import ctypes
import http.server
import importlib
import json
import os
import signal
import socket
import sys
import threading
import time

from uvicorn.config import Config
from uvicorn.main import Server

from . import trace
from .handler_count import take_count
from .traced_app import traced_app

HEARTBEAT_FD = 4
LISTEN_FD = 5
LOOP = os.environ.get("STARVE_LAB_LOOP", "uvloop")
HEALTH = json.loads(os.environ.get("STARVE_LAB_HEALTH", "null"))
APP = os.environ.get("STARVE_LAB_APP", "starve_lab_real.app:app")
USER_APP = os.environ.get("STARVE_LAB_USER_APP") == "1"
NOTIFIER = os.environ.get("STARVE_LAB_NOTIFIER", "")
_channel_fd = int(os.environ.get("NODE_CHANNEL_FD", "-1"))
_last_tick = [time.monotonic()]


def tell(message):
    if _channel_fd >= 0:
        os.write(_channel_fd, (json.dumps(message) + "\n").encode())


def wait_for_go():
    """Reads the channel until the supervisor's `go` (or its end: then leave)."""
    buffered = b""
    while True:
        chunk = os.read(_channel_fd, 4096)
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


def die_with_parent():
    """PR_SET_PDEATHSIG: a starve-lab (or kubelet) killed by SIGKILL leaves no container behind."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def load_app():
    module, attribute = APP.split(":", 1)
    app = getattr(importlib.import_module(module), attribute)
    return traced_app(app) if USER_APP else app


def health_route(app):
    """health-on-loop: the health path answered by an ASGI route on the loop (what most apps have)."""
    path = HEALTH["path"]

    async def wrapper(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == path:
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"ok\n"})
            return
        return await app(scope, receive, send)

    return wrapper


def start_health_thread():
    """health-off-loop: a thread of its own answers from the loop's last tick."""
    path, stale_s = HEALTH["path"], HEALTH["loopStaleMs"] / 1000

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            age = time.monotonic() - _last_tick[0]
            status = (200 if age < stale_s else 503) if self.path.split("?")[0] == path else 404
            body = ("loop ticked %d ms ago\n" % (age * 1000)).encode()
            self.send_response(status)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, name="starve-lab-health", daemon=True).start()
    return server.server_address[1]


class ContainerServer(Server):
    """uvicorn's Server, unchanged but for the lab's tick record and health stamp on each tick."""

    async def startup(self, sockets=None):
        await super().startup(sockets=sockets)
        trace.write("listening", pid=os.getpid())

    async def on_tick(self, counter):
        trace.write("tick", pid=os.getpid(), counter=counter, handlers=take_count())
        _last_tick[0] = time.monotonic()
        if HEALTH is not None and HEALTH["answeredBy"] == "file":
            # gunicorn's notify: flip the mode, so the ctime is now.
            os.fchmod(HEARTBEAT_FD, 0o600 if counter % 2 else 0o400)
        return await super().on_tick(counter)


def main():
    die_with_parent()
    trace.open_trace()
    app = load_app()
    answered_by = None if HEALTH is None else HEALTH["answeredBy"]
    if answered_by == "loop":
        app = health_route(app)
    config = Config(app=app, loop=LOOP, http="auto", lifespan="off", log_level="warning", access_log=False)
    config.load()
    shared = socket.socket(fileno=LISTEN_FD)
    sockets = [shared]
    probe_port = None
    if answered_by in ("loop", "kernel"):
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.bind(("127.0.0.1", 0))
        probe.listen(511)
        sockets.append(probe)
        probe_port = probe.getsockname()[1]
    elif answered_by == "thread":
        probe_port = start_health_thread()
    tell({"type": "armed"})
    wait_for_go()
    trace.write("worker-start", pid=os.getpid(), notifier=NOTIFIER, loop=LOOP)
    server = ContainerServer(config=config)

    async def serve():
        serving = asyncio.ensure_future(server.serve(sockets=sockets))
        while not server.started and not serving.done():
            await asyncio.sleep(0.001)
        _last_tick[0] = time.monotonic()
        if server.started:
            tell({"type": "listening", "probePort": probe_port})
        await serving

    if LOOP == "uvloop":
        import uvloop

        uvloop.install()
    asyncio.run(serve())


if __name__ == "__main__":
    main()
