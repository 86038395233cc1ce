"""A small ASGI app (no framework) with the bug starve-lab reproduces: one endpoint does seconds of
synchronous CPU work inside `async def`, on the event loop, so uvicorn's loop cannot tick while it runs.

    npx starve-lab run examples/python-app/scenario.json --stack real --app app:app --app-dir examples/python-app --stacks
"""

import json
from urllib.parse import parse_qs


def score_portfolio(positions):
    """The culprit: pure-Python number crunching, run on the event loop."""
    total = 0.0
    for i in range(positions):
        total += (i % 97) * 1.0001 ** (i % 13)
    return total


async def read_body(receive):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body


async def respond(send, status, payload):
    data = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


async def app(scope, receive, send):
    if scope["type"] != "http":
        return  # no start-up or shut-down work (ASGI lifespan)
    await read_body(receive)
    if scope["path"] == "/health":
        return await respond(send, 200, {"ok": True})
    if scope["path"] == "/portfolio/score":
        query = parse_qs(scope.get("query_string", b"").decode())
        positions = int(query.get("positions", ["200000"])[0])
        # async def, but nothing is awaited: the loop is blocked for the whole computation.
        return await respond(send, 200, {"score": score_portfolio(positions)})
    return await respond(send, 404, {"error": "not found"})
