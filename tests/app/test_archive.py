"""The office's archive: login required, protocol and exports downloadable, delete removes all."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from nicegui.testing import User
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from app.i18n import translator
from facilitation import (
    access,
    agenda,
    context,
    contributions,
    lifecycle,
    organize,
    participation,
    photos,
    protocol,
    root,
)
from sessions import models

AGENDA = {
    "title": "4. Treffen der Wirtschaftsallianz",
    "date": "2017-11-07",
    "place": "Bottrop",
    "moderator": "Dr. Müller",
    "names": "optional",
    "steps": [
        {"method": "hand_vote", "title": "Protokoll des 3. Treffens",
         "config": {"question": "Sind Sie mit dem Protokoll einverstanden?"}},
        {"method": "consensing", "title": "Welche Reallabore beauftragen wir?",
         "config": {"question": "Welche zwei Reallabore?", "select": 2,
                    "proposals": ["City-Logistik", "Hybride Formen des Handels", "Fachkräfteportal"],
                    "passive_solution": "Wir beauftragen jetzt kein Reallabor"}},
    ],
}


def scripted_session(ctx):
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    sid = created.session.id
    vote, cons = (s.id for s in created.session.steps)
    people = [participation.join(ctx, created.session.join_code, name=f"Teilnehmerin {i}") for i in range(12)]
    lifecycle.open_step(ctx, vote)
    for i, p in enumerate(people):
        contributions.submit(ctx, vote, p.participant_id, {"option": "yes" if i < 9 else "no"})
    lifecycle.close_step(ctx, vote)
    lifecycle.open_step(ctx, cons)
    for i, p in enumerate(people):
        contributions.submit(ctx, cons, p.participant_id,
                             {"ratings": {"p1": 1, "p2": 3 + i % 3, "p3": 8, "passive": 9}})
    lifecycle.close_step(ctx, cons)
    lifecycle.open_step(ctx, cons)  # second round after discussing the resistance
    for p in people:
        contributions.submit(ctx, cons, p.participant_id,
                             {"ratings": {"p1": 0, "p2": 2, "p3": 4, "passive": 9}})
    lifecycle.close_step(ctx, cons)
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (230, 220, 190)).save(out, format="JPEG")
    photos.add_photo(ctx, sid, cons, "pinnwand.jpg", out.getvalue())
    lifecycle.end_session(ctx, sid)
    return created


def test_protocol_of_a_scripted_session(tmp_path) -> None:
    ctx = root.create("sqlite://")
    created = scripted_session(ctx)
    pdf = protocol.build_pdf(ctx, created.session.id, translator("de"))
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 6  # cover, agenda, vote, consensing ×2 rounds, closing
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 1, "the uploaded photo sits with its step"
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("4. Treffen der Wirtschaftsallianz", "Bottrop", "Dr. Müller", "Protokoll des 3. Treffens",
                     "Welche Reallabore beauftragen wir?", "City-Logistik", "Angenommen"):
        assert expected in text, expected
    assert "75" in text  # 9 of 12 voted yes
    assert "City-Logistik" in text.split("Beschlüsse")[-1]  # the decision is on the closing page


async def test_archive_requires_login(user: User) -> None:
    await user.open("/archive")
    await user.should_see("Anmeldung Geschäftsstelle")
    await user.should_not_see("Archiv der Sitzungen")


async def test_archive_lists_and_deletes_everything(user: User, monkeypatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "büro-geheim")
    ctx = context.current()
    access.ensure_admin_password(ctx)
    keep = organize.create_session(ctx, agenda.parse({"title": "Auftakt", "steps": []}))
    created = scripted_session(ctx)
    await user.open("/login")
    user.find(marker="password").type("büro-geheim")
    user.find(marker="login").click()
    await user.should_see("Archiv der Sitzungen")
    await user.should_see("4. Treffen der Wirtschaftsallianz")
    await user.should_see("Auftakt")

    user.find(marker="search").type("Treffen")
    await user.should_not_see("Auftakt")

    sid = created.session.id
    user.find(marker=f"delete-{sid}").click()
    await user.should_see("endgültig löschen")
    user.find(marker="delete-confirm").click()
    await user.should_see("Sitzung gelöscht.")
    with ctx.db.session() as orm:
        for table, column in ((models.Session, models.Session.id), (models.Participant, models.Participant.session_id),
                              (models.Step, models.Step.session_id), (models.Attachment, models.Attachment.session_id)):
            assert orm.execute(select(func.count()).select_from(table).where(column == sid)).scalar_one() == 0
        assert orm.execute(select(func.count()).select_from(models.Contribution)).scalar_one() == 0
        assert orm.execute(select(func.count()).select_from(models.StepRound)).scalar_one() == 0
    assert organize.get_session(ctx, keep.session.id).title == "Auftakt"


async def test_exports_and_protocol_over_api(user: User, monkeypatch) -> None:
    ctx = context.current()
    created = scripted_session(ctx)
    sid = created.session.id
    auth = {"Authorization": f"Bearer {created.moderator_key}"}
    client = user.http_client
    r = await client.get(f"/api/v1/sessions/{sid}/protocol.pdf", headers=auth)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = await client.get(f"/api/v1/sessions/{sid}/export.csv", headers=auth)
    lines = r.text.strip().splitlines()
    assert lines[0].startswith("contribution,step,step_title")
    assert len(lines) == 1 + 12 + 12 * 4 * 2  # one row per stored entry: votes + ratings of two rounds
    assert "Teilnehmerin 3" in r.text  # names only because the session collected them
    r = await client.get(f"/api/v1/sessions/{sid}/export.json", headers=auth)
    data = r.json()
    assert data["session"]["title"] == AGENDA["title"]
    assert len(data["results"][1]["rounds"]) == 2
    r = await client.get(f"/api/v1/sessions/{sid}/protocol.pdf")
    assert r.status_code in (401, 403)


async def test_retention_deletes_old_ended_sessions(user: User) -> None:
    ctx = context.current()
    old = scripted_session(ctx)
    ahead = (ctx.clock() + timedelta(days=400)).date().isoformat()  # prepared now for a meeting next year
    planned = organize.create_session(ctx, agenda.parse({"title": "Geplant", "date": ahead, "steps": []}))
    assert organize.apply_retention(ctx) == []  # off by default
    organize.set_retention_days(ctx, 30)
    real_clock = ctx.clock
    monkeypatch_clock = lambda: real_clock().replace(year=real_clock().year + 1)  # noqa: E731
    ctx.clock = monkeypatch_clock
    try:
        assert organize.apply_retention(ctx) == [old.session.id]
    finally:
        ctx.clock = real_clock
    assert organize.get_session(ctx, planned.session.id).title == "Geplant"  # its day has not come yet
