"""Photo uploads are checked on the server: real image content, size cap, EXIF (GPS!) stripped."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from facilitation import photos
from methods.errors import InvalidContribution, TooLarge
from sessions import models
from tests.factories import create_session

GPS_IFD = 0x8825


@pytest.fixture
def session(ctx):
    return create_session(ctx, {"method": "hand_vote", "title": "Thementische"}, title="Auftakt").session


def jpeg_with_gps(size=(64, 48)) -> bytes:
    img = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (51.0, 31.0, 12.0), 3: "E", 4: (6.0, 56.0, 3.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def count(ctx) -> int:
    with ctx.db.session() as orm:
        return orm.execute(select(func.count()).select_from(models.Attachment)).scalar_one()


def test_exif_with_gps_is_stripped(ctx, session) -> None:
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # the fixture really carries GPS
    info = photos.add_photo(ctx, session.id, session.steps[0].id, "tisch.jpg", raw)
    stored, mime = photos.photo_bytes(ctx, session.id, info.id)
    assert mime == "image/jpeg"
    exif = Image.open(io.BytesIO(stored)).getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert 0x010F not in exif


def test_fake_extension_is_refused_and_nothing_stored(ctx, session) -> None:
    with pytest.raises(InvalidContribution) as err:
        photos.add_photo(ctx, session.id, None, "pinnwand.jpg", b"<html>not an image</html>")
    assert err.value.key == "photo_bad_type"
    assert count(ctx) == 0


def test_other_image_formats_are_refused(ctx, session) -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(InvalidContribution):
        photos.add_photo(ctx, session.id, None, "x.gif", out.getvalue())
    assert count(ctx) == 0


def test_truncated_image_is_refused(ctx, session) -> None:
    raw = jpeg_with_gps((400, 300))
    with pytest.raises(InvalidContribution):
        photos.add_photo(ctx, session.id, None, "kaputt.jpg", raw[: len(raw) // 3])
    assert count(ctx) == 0


def test_too_large_is_refused(ctx, session) -> None:
    with pytest.raises(TooLarge):
        photos.add_photo(ctx, session.id, None, "riesig.jpg", b"\xff" * (photos.MAX_BYTES + 1))
    assert count(ctx) == 0


def test_large_photo_is_downscaled(ctx, session) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), (10, 200, 10)).save(out, format="PNG")
    info = photos.add_photo(ctx, session.id, None, "breit.png", out.getvalue())
    assert (info.width, info.height) == (2000, 500)
    assert info.mime == "image/png"


def test_webp_is_accepted(ctx, session) -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 20)).save(out, format="WEBP")
    assert photos.add_photo(ctx, session.id, None, "a.webp", out.getvalue()).mime == "image/webp"


def test_photo_for_a_step_of_another_session_is_refused(ctx, session) -> None:
    other = create_session(ctx, "hand_vote", title="Andere").session
    with pytest.raises(Exception):
        photos.add_photo(ctx, session.id, other.steps[0].id, "x.jpg", jpeg_with_gps())
    assert count(ctx) == 0
