"""The app as the NiceGUI ``User`` fixture runs it: a fresh database file per test.

A file, not ``sqlite://``: an in-memory database is one connection shared by every thread, so a
sync API route (worker thread) and a live view (event loop) could collide in it — production
never runs that way, and the tests should not either.
"""

import shutil
import tempfile
from pathlib import Path

from nicegui import app, ui

from app.main import setup
from facilitation import root

folder = Path(tempfile.mkdtemp(prefix="koffer-test-"))
ctx = root.create(f"sqlite:///{folder / 'koffer.sqlite3'}")
app.on_shutdown(lambda: shutil.rmtree(folder, ignore_errors=True))
setup(ctx, port=8080, public_url="http://koffer.test", detect_lan=False)
ui.run(storage_secret="test")
