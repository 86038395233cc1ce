"""Reads a gunicorn configuration the way gunicorn itself does, and prints the settings that decide a
worker's liveness as JSON (for `starve-lab init --from gunicorn.conf.py`).

Usage: python3 -m starve_lab_real.read_gunicorn_config [gunicorn's own arguments, e.g. -c gunicorn.conf.py]

gunicorn's Application.load_config runs unchanged: the config file (Python, executed as gunicorn executes
it), then GUNICORN_CMD_ARGS, then the command line, each overriding the one before. Nothing is served.
"""

import json
import sys

READ = ("worker_class", "workers", "timeout", "keepalive", "graceful_timeout", "threads", "bind")


def main(argv):
    try:
        import gunicorn
        from gunicorn.app.base import Application
        from gunicorn.config import Config
    except ImportError as error:
        sys.stderr.write("gunicorn is not installed for this Python (%s)\n" % error)
        return 3

    class Reader(Application):
        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

    sys.argv = ["gunicorn"] + list(argv)
    try:
        cfg = Reader(prog="gunicorn").cfg
    except SystemExit as error:
        return error.code if isinstance(error.code, int) and error.code != 0 else 1
    defaults = Config()
    settings = {}
    for name in READ:
        value = cfg.settings[name].get()
        settings[name] = {"value": value, "set": value != defaults.settings[name].get()}
    settings["worker_class"]["value"] = cfg.worker_class_str
    print(json.dumps({"gunicorn": gunicorn.__version__, "settings": settings}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
