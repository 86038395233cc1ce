"""The STARVE_LAB_* variables decoded once: defaults, every field, and a clear refusal for each garbled one."""

import unittest

from starve_lab_real.settings import Health, SettingsError, read_settings


class ReadSettings(unittest.TestCase):
    def test_defaults_when_nothing_is_set(self) -> None:
        settings = read_settings({})
        self.assertEqual(settings.loop, "uvloop")
        self.assertEqual(settings.http, "httptools")
        self.assertEqual(settings.app, "starve_lab_real.app:app")
        self.assertIsNone(settings.health)
        self.assertIsNone(settings.trace_path)
        self.assertIsNone(settings.parent_pid)
        self.assertEqual(settings.channel_fd, -1)
        self.assertEqual(settings.max_block_ms, 600000)
        self.assertFalse(settings.user_app)
        self.assertFalse(settings.cpu_holds_gil)
        self.assertEqual(settings.keep_alive_s, 5)

    def test_the_holds_gil_code_kind_makes_the_cpu_route_keep_the_gil(self) -> None:
        self.assertTrue(read_settings({"STARVE_LAB_CPU_HOLDS_GIL": "1"}).cpu_holds_gil)
        self.assertFalse(read_settings({"STARVE_LAB_CPU_HOLDS_GIL": "0"}).cpu_holds_gil)

    def test_reads_every_field(self) -> None:
        settings = read_settings({
            "STARVE_LAB_LOOP": "asyncio",
            "STARVE_LAB_HTTP": "h11",
            "STARVE_LAB_APP": "main:app",
            "STARVE_LAB_USER_APP": "1",
            "STARVE_LAB_NOTIFIER": "health-on-loop",
            "STARVE_LAB_HEALTH": '{"answeredBy": "thread", "path": "/healthz", "loopStaleMs": 1000}',
            "STARVE_LAB_MAX_BLOCK_MS": "150000",
            "STARVE_LAB_TRACE": "/tmp/trace.jsonl",
            "STARVE_LAB_ORIGIN_NS": "123456789",
            "STARVE_LAB_PARENT_PID": "42",
            "NODE_CHANNEL_FD": "3",
            "STARVE_LAB_KEEP_ALIVE_S": "65",
        })
        self.assertEqual(settings.loop, "asyncio")
        self.assertEqual(settings.http, "h11")
        self.assertTrue(settings.user_app)
        self.assertEqual(settings.health, Health(answered_by="thread", path="/healthz", loop_stale_ms=1000.0))
        self.assertEqual(settings.max_block_ms, 150000)
        self.assertEqual(settings.origin_ns, 123456789)
        self.assertEqual(settings.parent_pid, 42)
        self.assertEqual(settings.channel_fd, 3)
        self.assertEqual(settings.keep_alive_s, 65)

    def test_refuses_each_garbled_variable_naming_it(self) -> None:
        cases = {
            "STARVE_LAB_LOOP": "trio",
            "STARVE_LAB_HTTP": "auto",
            "STARVE_LAB_APP": "no-attribute",
            "STARVE_LAB_MAX_BLOCK_MS": "soon",
            "STARVE_LAB_ORIGIN_NS": "1.5",
            "NODE_CHANNEL_FD": "x",
            "STARVE_LAB_PARENT_PID": "",
            "STARVE_LAB_KEEP_ALIVE_S": "0",
        }
        for name, value in cases.items():
            with self.subTest(name=name), self.assertRaises(SettingsError) as refused:
                read_settings({name: value})
            self.assertIn(name, str(refused.exception))

    def test_refuses_a_health_setting_the_lab_never_sends(self) -> None:
        for raw, field in [
            ("{", "STARVE_LAB_HEALTH"),
            ("[]", "STARVE_LAB_HEALTH"),
            ('{"answeredBy": "dns", "path": "/h", "loopStaleMs": 1}', "answeredBy"),
            ('{"answeredBy": "loop", "path": "h", "loopStaleMs": 1}', "path"),
            ('{"answeredBy": "loop", "path": "/h", "loopStaleMs": 0}', "loopStaleMs"),
            ('{"answeredBy": "loop", "path": "/h", "loopStaleMs": true}', "loopStaleMs"),
        ]:
            with self.subTest(raw=raw), self.assertRaises(SettingsError) as refused:
                read_settings({"STARVE_LAB_HEALTH": raw})
            self.assertIn(field, str(refused.exception))


if __name__ == "__main__":
    unittest.main()
