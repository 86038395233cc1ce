"""The heartbeat rules written here (tick-count, every-tick) notify on the ticks their uvicorn did
(docs/semantics.md §2), on uvicorn's own Server; skipped where uvicorn is not installed."""

import asyncio
import unittest
from typing import List

try:
    from uvicorn.config import Config

    from starve_lab_real.workers import EveryTickServer, TickCountServer
except ImportError:  # the real stack is not installed: .ci/run installs it and requires these
    Config = None


async def _app(scope, receive, send):  # type: ignore[no-untyped-def]
    return None


def server_of(cls, timeout_notify: float, notified: List[int]):  # type: ignore[no-untyped-def]
    config = Config(app=_app, lifespan="off", log_level="warning")
    config.load()
    config.timeout_notify = timeout_notify
    server = cls(config=config)

    async def notify() -> None:
        notified.append(server.tick_counter)

    config.callback_notify = notify
    return server


@unittest.skipIf(Config is None, "uvicorn is not installed")
class Rules(unittest.TestCase):
    def test_tick_count_notifies_every_ten_times_timeout_notify_ticks(self) -> None:
        notified: List[int] = []
        server = server_of(TickCountServer, 15, notified)
        for counter in range(0, 301):
            asyncio.run(server.on_tick(counter))
        self.assertEqual(notified, [0, 150, 300])

    def test_every_tick_compares_the_clock_on_every_tick(self) -> None:
        notified: List[int] = []
        server = server_of(EveryTickServer, 0, notified)
        server.last_notified = 0
        for counter in (1, 2, 3):
            asyncio.run(server.on_tick(counter))
        self.assertEqual(notified, [1, 2, 3])


if __name__ == "__main__":
    unittest.main()
