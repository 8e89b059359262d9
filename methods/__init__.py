"""Pure, deterministic method engines: config, validation, tally.

Nothing here touches NiceGUI, SQLAlchemy, files, the clock or global random state.
"""
