"""The user's ASGI app (STARVE_LAB_APP) with each request traced, as an import string of its own:
uvicorn's process manager imports the app by name in each child it spawns."""

from __future__ import annotations

import importlib

from .settings import SETTINGS
from .traced_app import traced_app

_module, _attribute = SETTINGS.app.split(":", 1)
app = traced_app(getattr(importlib.import_module(_module), _attribute))
