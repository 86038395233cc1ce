"""The lab's id of a request, from the `x-starve-request` header the load sets (-1 when absent or garbled)."""

from __future__ import annotations

from typing import Any, Mapping

HEADER = b"x-starve-request"


def request_id_of(scope: Mapping[str, Any]) -> int:
    for name, value in scope.get("headers", []):
        if name == HEADER:
            return int(value) if value.isdigit() else -1
    return -1
