"""The routes app and the user's-app wrapper, driven as an ASGI server drives them, with the trace
written to a file of the test's own."""

import asyncio
import json
import os
import tempfile
import unittest
from typing import Any, Dict, List

from starve_lab_real import trace
from starve_lab_real.app import app, burn_cpu
from starve_lab_real.handler_count import take_count
from starve_lab_real.traced_app import traced_app


def call(asgi: Any, scope: Dict[str, Any]) -> List[Dict[str, Any]]:
    sent: List[Dict[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(asgi(scope, receive, send))
    return sent


def http(path: str, query: bytes = b"", request_id: bytes = b"7") -> Dict[str, Any]:
    return {"type": "http", "path": path, "query_string": query, "headers": [(b"x-starve-request", request_id)]}


class WithTrace(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "trace.jsonl")
        trace.open_trace(self.path)
        take_count()

    def tearDown(self) -> None:
        self.dir.cleanup()

    def events(self) -> List[Dict[str, Any]]:
        with open(self.path) as file:
            return [json.loads(line) for line in file]


class RoutesApp(WithTrace):
    def test_cpu_burns_the_loop_counts_a_handler_and_traces_start_and_end(self) -> None:
        sent = call(app, http("/cpu", b"ms=5"))
        self.assertEqual(sent[0]["status"], 200)
        self.assertEqual(take_count(), 1)
        start, end = self.events()
        self.assertEqual((start["type"], start["id"], start["route"], start["ms"]), ("request-start", 7, "cpu", 5.0))
        self.assertEqual((end["type"], end["id"], end["status"]), ("request-end", 7, 200))
        self.assertGreaterEqual(end["t"] - start["t"], 4.5)

    def test_wait_and_offload_leave_the_loop_alone(self) -> None:
        for route in ("/wait", "/offload"):
            self.assertEqual(call(app, http(route, b"ms=1"))[0]["status"], 200)
        self.assertEqual(take_count(), 0)

    def test_refuses_a_bad_ms_and_answers_404_for_an_unknown_route(self) -> None:
        for query in (b"ms=soon", b"ms=-1", b"ms=nan"):
            self.assertEqual(call(app, http("/cpu", query))[0]["status"], 400, query)
        self.assertEqual(call(app, http("/nowhere"))[0]["status"], 404)
        self.assertEqual(call(app, http("/"))[0]["status"], 200)

    def test_burn_is_bounded_by_the_longest_block(self) -> None:
        loop = asyncio.new_event_loop()
        start = loop.time()
        burn_cpu(10_000, max_block_ms=5)
        self.assertLess(loop.time() - start, 1.0)
        loop.close()


class TracedUserApp(WithTrace):
    def test_records_each_request_and_counts_it_as_a_handler(self) -> None:
        async def user_app(scope: Any, receive: Any, send: Any) -> None:
            await send({"type": "http.response.start", "status": 201, "headers": []})
            await send({"type": "http.response.body", "body": b"made"})

        sent = call(traced_app(user_app), http("/report", request_id=b"3"))
        self.assertEqual([m["type"] for m in sent], ["http.response.start", "http.response.body"])
        start, end = self.events()
        self.assertEqual((start["route"], start["id"]), ("/report", 3))
        self.assertEqual((end["status"], end["id"]), (201, 3))
        self.assertEqual(take_count(), 1)

    def test_passes_other_scopes_through_untraced(self) -> None:
        seen: List[str] = []

        async def user_app(scope: Any, receive: Any, send: Any) -> None:
            seen.append(scope["type"])

        call(traced_app(user_app), {"type": "lifespan"})
        self.assertEqual(seen, ["lifespan"])
        self.assertEqual(self.events(), [])


if __name__ == "__main__":
    unittest.main()
