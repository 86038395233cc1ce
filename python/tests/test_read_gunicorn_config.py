"""gunicorn's own loader reading a config file for `init --from`: the file, then the command line over it."""

import contextlib
import io
import json
import os
import tempfile
import unittest

from starve_lab_real.read_gunicorn_config import main


def read(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


class ReadGunicornConfig(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, text: str) -> str:
        path = os.path.join(self.dir.name, "gunicorn.conf.py")
        with open(path, "w") as handle:
            handle.write(text)
        return path

    def test_runs_the_file_as_python_and_says_which_settings_it_set(self) -> None:
        path = self.write('worker_class = "uvicorn.workers.UvicornWorker"\nworkers = 2 * 2\ntimeout = 120\n')
        code, out, _ = read(["-c", path])
        self.assertEqual(code, 0)
        settings = json.loads(out)["settings"]
        self.assertEqual(settings["worker_class"]["value"], "uvicorn.workers.UvicornWorker")
        self.assertEqual(settings["workers"], {"value": 4, "set": True})
        self.assertEqual(settings["timeout"], {"value": 120, "set": True})
        self.assertFalse(settings["keepalive"]["set"])

    def test_the_command_line_wins_over_the_file(self) -> None:
        path = self.write("timeout = 120\n")
        code, out, _ = read(["-c", path, "--timeout", "45"])
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out)["settings"]["timeout"]["value"], 45)

    def test_a_file_gunicorn_cannot_read_fails_with_its_error(self) -> None:
        path = self.write('workers = int("four")\n')
        code, out, err = read(["-c", path])
        self.assertNotEqual(code, 0)
        self.assertEqual(out, "")
        self.assertIn("invalid literal for int()", err)


if __name__ == "__main__":
    unittest.main()
