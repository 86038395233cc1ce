"""Prints the command-line options of the installed gunicorn and uvicorn as JSON, read from their own
definitions (gunicorn's config.KNOWN_SETTINGS, uvicorn's click command), for src/deployment/server-options.ts:
which flag names a setting, and which take a value. Run it with a stack's site first on the path, e.g.
  PYTHONPATH=~/.cache/starve-lab/stacks/newest/site /usr/bin/python3 scripts/extract-server-options.py
"""

import json

import gunicorn
import uvicorn
from gunicorn import config
from uvicorn.main import main as uvicorn_main


def gunicorn_options():
    out = []
    for setting in config.KNOWN_SETTINGS:
        if not setting.cli:
            continue
        takes_value = setting.action not in ("store_true", "store_false", "store_const")
        out.append({"setting": setting.name, "flags": list(setting.cli), "takesValue": takes_value})
    return out


def uvicorn_options():
    out = []
    for param in uvicorn_main.params:
        if param.param_type_name != "option":
            continue
        flags = list(param.opts) + list(param.secondary_opts)
        out.append({"setting": param.name, "flags": flags, "takesValue": not param.is_flag and not param.count})
    return out


print(json.dumps({
    "gunicorn": {"version": gunicorn.__version__, "options": gunicorn_options()},
    "uvicorn": {"version": uvicorn.__version__, "options": uvicorn_options()},
}, indent=1))
