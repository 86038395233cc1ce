"""The user's ASGI app with each request's start and end recorded (starve-lab's routes app records its
own), for the gunicorn workers and the plain-uvicorn container alike."""

import os

from . import trace
from .handler_count import count_handler


def traced_app(app):
    """Wraps the user's ASGI app to record each request's start and end (our own routes app records
    its own). Every request that ran on the loop counts as a handler between two ticks."""

    async def wrapper(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        request_id = -1
        for name, value in scope.get("headers", []):
            if name == b"x-starve-request" and value.isdigit():
                request_id = int(value)
        trace.write("request-start", pid=os.getpid(), id=request_id, route=scope["path"], ms=0)

        async def traced_send(message):
            await send(message)
            if message["type"] == "http.response.start":
                trace.write("request-end", pid=os.getpid(), id=request_id, status=message["status"])

        try:
            return await app(scope, receive, traced_send)
        finally:
            count_handler()

    return wrapper
