"""The demo session: modelled on the 4th meeting of an economic alliance (Wirtschaftsallianz).

Each method declares its own demo steps (``Engine.demo_steps``) with a place in the agenda, so a
new method shows up in the demo without an edit here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitation import access, agenda, organize
from facilitation.context import Context
from facilitation.snapshots import Created
from methods import registry
from sessions import models

DEMO_SETTING = "demo_session_id"

def demo_agenda() -> dict[str, Any]:
    """The demo meeting: every registered method's demo steps, in the order they declare."""
    steps = sorted(
        ((demo.order, name, demo) for name, method in registry.engines().items() for demo in method.demo_steps),
        key=lambda entry: (entry[0], entry[1]),
    )
    return {
        "format": agenda.FORMAT,
        "title": "4. Treffen der Wirtschaftsallianz",
        "date": "2017-11-07",
        "place": "Bottrop",
        "moderator": "Externe Moderation",
        "language": "de",
        "names": "optional",
        "steps": [{"method": name, "title": demo.title, "config": dict(demo.config)} for _o, name, demo in steps],
    }


def ensure_demo(ctx: Context) -> Created:
    """Create the demo session once; later starts print the same links again (keys are derived)."""
    with ctx.db.session() as orm:
        row = orm.get(models.Setting, DEMO_SETTING)
        existing = int(row.value) if row else None
        if existing is not None and orm.execute(
                select(models.Session.id).where(models.Session.id == existing)).scalar_one_or_none() is None:
            existing = None
    if existing is not None:
        keys = access.current_keys(ctx, existing)
        return Created(organize.get_session(ctx, existing), keys.moderator, keys.projector)
    created = organize.create_session(ctx, agenda.parse(demo_agenda()))
    with ctx.db.transaction() as orm:
        orm.merge(models.Setting(key=DEMO_SETTING, value=str(created.session.id)))
    return created
