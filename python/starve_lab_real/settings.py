"""The configuration starve-lab hands its Python processes, decoded once from STARVE_LAB_* variables.

Every module reads `SETTINGS` (or calls `read_settings` with an environment of its own, in tests); a
garbled value is refused with one line naming the variable, as the Node children refuse theirs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Mapping, Optional

LOOPS = ("uvloop", "asyncio")
# uvicorn's HTTP protocols: httptools (C, uvicorn[standard]) and h11 (pure Python, plain uvicorn).
HTTPS = ("httptools", "h11")
ANSWERERS = ("loop", "thread", "file", "kernel")
ROUTES_APP = "starve_lab_real.app:app"


class SettingsError(ValueError):
    """A STARVE_LAB_* variable that cannot be used: the message names it and what was expected."""


@dataclass(frozen=True)
class Health:
    """Under the kubelet: how the container answers its liveness probe (the lab's health strategy)."""

    answered_by: str
    path: str
    loop_stale_ms: float


@dataclass(frozen=True)
class Settings:
    trace_path: Optional[str]
    origin_ns: int
    loop: str
    http: str
    app: str
    user_app: bool
    notifier: str
    health: Optional[Health]
    max_block_ms: float
    stacks_dir: Optional[str]
    parent_pid: Optional[int]
    channel_fd: int
    # The holds-gil code kind under uvicorn's process manager: the cpu route keeps the GIL.
    cpu_holds_gil: bool = False
    # Plain uvicorn's --timeout-keep-alive (the container, the process manager); gunicorn gets --keep-alive.
    keep_alive_s: int = 5


def _number(env: Mapping[str, str], name: str, default: str) -> float:
    raw = env.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError("%s: expected a number, found %r" % (name, raw)) from None
    if value != value or value < 0:
        raise SettingsError("%s: expected a number >= 0, found %r" % (name, raw))
    return value


def _whole(env: Mapping[str, str], name: str, default: Optional[str]) -> Optional[int]:
    raw = env.get(name, default)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise SettingsError("%s: expected a whole number, found %r" % (name, raw)) from None


def _health(raw: str) -> Optional[Health]:
    try:
        value = json.loads(raw)
    except ValueError:
        raise SettingsError("STARVE_LAB_HEALTH: expected JSON, found %r" % raw) from None
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SettingsError("STARVE_LAB_HEALTH: expected an object or null, found %r" % raw)
    answered_by, path, stale = value.get("answeredBy"), value.get("path"), value.get("loopStaleMs")
    if answered_by not in ANSWERERS:
        raise SettingsError("STARVE_LAB_HEALTH.answeredBy: expected one of %s, found %r" % (", ".join(ANSWERERS), answered_by))
    if not isinstance(path, str) or not path.startswith("/"):
        raise SettingsError("STARVE_LAB_HEALTH.path: expected a path from /, found %r" % (path,))
    if isinstance(stale, bool) or not isinstance(stale, (int, float)) or stale <= 0:
        raise SettingsError("STARVE_LAB_HEALTH.loopStaleMs: expected a number > 0, found %r" % (stale,))
    return Health(answered_by=answered_by, path=path, loop_stale_ms=float(stale))


def _keep_alive(env: Mapping[str, str]) -> int:
    value = _whole(env, "STARVE_LAB_KEEP_ALIVE_S", "5")
    if value is None or value < 1:
        raise SettingsError("STARVE_LAB_KEEP_ALIVE_S: expected a whole number of seconds >= 1, found %r" % env.get("STARVE_LAB_KEEP_ALIVE_S"))
    return value


def read_settings(env: Mapping[str, str]) -> Settings:
    loop = env.get("STARVE_LAB_LOOP", "uvloop")
    if loop not in LOOPS:
        raise SettingsError("STARVE_LAB_LOOP: expected one of %s, found %r" % (", ".join(LOOPS), loop))
    http = env.get("STARVE_LAB_HTTP", "httptools")
    if http not in HTTPS:
        raise SettingsError("STARVE_LAB_HTTP: expected one of %s, found %r" % (", ".join(HTTPS), http))
    app = env.get("STARVE_LAB_APP", ROUTES_APP)
    if ":" not in app:
        raise SettingsError("STARVE_LAB_APP: expected module:attribute, found %r" % app)
    origin_ns = _whole(env, "STARVE_LAB_ORIGIN_NS", "0")
    channel_fd = _whole(env, "NODE_CHANNEL_FD", "-1")
    return Settings(
        trace_path=env.get("STARVE_LAB_TRACE"),
        origin_ns=origin_ns if origin_ns is not None else 0,
        loop=loop,
        http=http,
        app=app,
        user_app=env.get("STARVE_LAB_USER_APP") == "1",
        notifier=env.get("STARVE_LAB_NOTIFIER", ""),
        health=_health(env.get("STARVE_LAB_HEALTH", "null")),
        max_block_ms=_number(env, "STARVE_LAB_MAX_BLOCK_MS", "600000"),
        stacks_dir=env.get("STARVE_LAB_STACKS_DIR"),
        parent_pid=_whole(env, "STARVE_LAB_PARENT_PID", None),
        channel_fd=channel_fd if channel_fd is not None else -1,
        cpu_holds_gil=env.get("STARVE_LAB_CPU_HOLDS_GIL") == "1",
        keep_alive_s=_keep_alive(env),
    )


SETTINGS: Settings = read_settings(os.environ)
