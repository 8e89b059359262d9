"""The app as the NiceGUI ``User`` fixture runs it: fresh in-memory database per test."""

from nicegui import ui

from app.main import setup
from facilitation import context

ctx = context.create("sqlite://")
setup(ctx, port=8080, public_url="http://koffer.test", detect_lan=False)
ui.run(storage_secret="test")
