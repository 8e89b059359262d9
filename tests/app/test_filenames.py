"""Downloads are named for the office's folder: kind, date, title — not an id."""

from __future__ import annotations

import httpx

from app.filenames import download_name, slug
from tests.app.test_api import api, create, login  # noqa: F401  (api is a fixture)


def test_names_say_what_when_and_which_meeting() -> None:
    assert download_name("tagesordnung", "4. Treffen der Wirtschaftsallianz", "2017-11-07", "json") == \
        "tagesordnung-2017-11-07-4-treffen-der-wirtschaftsallianz.json"
    assert download_name("protokoll", "Bürgerwerkstatt Gießen", "", "pdf") == "protokoll-buergerwerkstatt-giessen.pdf"
    assert slug('Evil "/../x\\y"<script>') == "evil-x-y-script"  # nothing a file system or mail reads as a path


async def test_the_protocol_download_is_named_for_the_meeting(api: httpx.AsyncClient) -> None:
    created = await create(api)
    response = await api.get(f"/api/v1/sessions/{created['id']}/protocol.pdf", headers=await login(api))
    assert response.headers["content-disposition"] == \
        'attachment; filename="protokoll-2017-11-07-4-treffen-der-wirtschaftsallianz.pdf"'
