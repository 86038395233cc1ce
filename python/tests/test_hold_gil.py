"""The GIL-holding route against the pure-Python one, measured: a thread that wakes every millisecond
is stopped for the whole of `hold_gil`, and keeps running through `burn_cpu` (the interpreter hands
the GIL over every 5 ms)."""

import threading
import time
import unittest

from starve_lab_real.app import burn_cpu
from starve_lab_real.hold_gil import hold_gil


def longest_pause_of_a_thread_during(work) -> float:
    """The longest gap, in ms, between two wake-ups of a 1 ms sleeper thread while `work` runs."""
    gaps = []
    stop = threading.Event()
    started = threading.Event()

    def sleeper() -> None:
        last = time.perf_counter()
        started.set()
        while not stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    thread = threading.Thread(target=sleeper, daemon=True)
    thread.start()
    started.wait()
    time.sleep(0.02)
    work()
    time.sleep(0.02)
    stop.set()
    thread.join()
    return max(gaps) * 1000


class HoldGil(unittest.TestCase):
    def test_holding_the_gil_stops_every_other_thread(self) -> None:
        pause = longest_pause_of_a_thread_during(lambda: hold_gil(300))
        self.assertGreater(pause, 200, "a thread ran while hold_gil(300) was in C")

    def test_pure_python_work_lets_other_threads_run(self) -> None:
        pause = longest_pause_of_a_thread_during(lambda: burn_cpu(300))
        self.assertLess(pause, 100, "burn_cpu kept the GIL")

    def test_it_lasts_about_as_long_as_asked(self) -> None:
        start = time.perf_counter()
        hold_gil(200)
        took = (time.perf_counter() - start) * 1000
        self.assertGreater(took, 100)
        self.assertLess(took, 600)
