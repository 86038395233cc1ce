"""Request ids from the load's header, and the handler count each tick takes."""

import unittest

from starve_lab_real.handler_count import count_handler, take_count
from starve_lab_real.request_id import request_id_of


class RequestId(unittest.TestCase):
    def test_reads_the_header_the_load_sets(self) -> None:
        self.assertEqual(request_id_of({"headers": [(b"host", b"x"), (b"x-starve-request", b"17")]}), 17)

    def test_is_minus_one_when_absent_or_garbled(self) -> None:
        self.assertEqual(request_id_of({"headers": []}), -1)
        self.assertEqual(request_id_of({}), -1)
        self.assertEqual(request_id_of({"headers": [(b"x-starve-request", b"-5")]}), -1)
        self.assertEqual(request_id_of({"headers": [(b"x-starve-request", b"abc")]}), -1)


class HandlerCount(unittest.TestCase):
    def test_a_tick_takes_the_handlers_since_the_last_and_resets(self) -> None:
        take_count()
        count_handler()
        count_handler()
        self.assertEqual(take_count(), 2)
        self.assertEqual(take_count(), 0)


if __name__ == "__main__":
    unittest.main()
