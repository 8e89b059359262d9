"""The demo session: modelled on the 4th meeting of an economic alliance (Wirtschaftsallianz).

Only methods that are registered appear; later methods add their steps here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from facilitation import access, agenda, organize
from facilitation.context import Context
from facilitation.snapshots import Created
from sessions import models

DEMO_SETTING = "demo_session_id"

DEMO_AGENDA: dict[str, Any] = {
    "format": agenda.FORMAT,
    "title": "4. Treffen der Wirtschaftsallianz",
    "date": "2017-11-07",
    "place": "Bottrop",
    "moderator": "Externe Moderation",
    "language": "de",
    "names": "optional",
    "steps": [
        {
            "method": "hand_vote",
            "title": "Protokoll des 3. Treffens",
            "config": {"question": "Sind Sie mit dem Protokoll des 3. Treffens einverstanden?"},
        },
        {
            "method": "consensing",
            "title": "Welche Reallabore beauftragen wir?",
            "config": {
                "question": "Welche vier Reallabore soll die Allianz beauftragen?",
                "proposals": [
                    "City-Logistik unter Nachhaltigkeitsgesichtspunkten",
                    "Hybride Formen des Handels",
                    "Unternehmen wirtschaften nachhaltig",
                    "Digitale Koproduktion im Handwerk",
                    "Markenentwicklung für den Standort",
                    "Gemeinsames Fachkräfteportal",
                ],
                "passive_solution": "Wir beauftragen jetzt kein Reallabor",
                "select": 4,
            },
        },
        {
            "method": "hand_vote",
            "title": "Nächster Termin",
            "config": {
                "question": "Wann soll das 5. Treffen stattfinden?",
                "options": ["Ende Januar", "Mitte Februar", "Anfang März"],
            },
        },
    ],
}


def ensure_demo(ctx: Context) -> Created:
    """Create the demo session once; on later starts give it fresh keys so links can be printed."""
    with ctx.db.session() as orm:
        row = orm.get(models.Setting, DEMO_SETTING)
        existing = int(row.value) if row else None
        if existing is not None and orm.execute(
                select(models.Session.id).where(models.Session.id == existing)).scalar_one_or_none() is None:
            existing = None
    if existing is not None:
        moderator_key, projector_key = access.rotate_keys(ctx, existing)
        return Created(organize.get_session(ctx, existing), moderator_key, projector_key)
    created = organize.create_session(ctx, agenda.parse(DEMO_AGENDA))
    with ctx.db.transaction() as orm:
        orm.merge(models.Setting(key=DEMO_SETTING, value=str(created.session.id)))
    return created
