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


# --- decompression bombs (issue 14, finding 3) ------------------------------------------------------

PEAK_MEMORY = """
import resource, sys
sys.path.insert(0, {root!r})
from facilitation import photos
from methods.errors import KofferError
from tests.bombs import png_bomb
bomb = png_bomb()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    photos.clean_image(bomb)
    outcome = "accepted"
except KofferError as exc:
    outcome = exc.key
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(bomb), outcome, (after - before) // 1024)
"""


def test_a_decompression_bomb_is_refused_by_its_pixel_count_before_decoding() -> None:
    """The issue's file: 10,900 × 10,900 px in a few hundred KB. It is refused (413) from its header,
    and the process's peak memory does not grow (decoding it takes 475 MB), measured in a fresh
    interpreter so nothing else in the test run blurs the peak."""
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    run = subprocess.run([sys.executable, "-c", PEAK_MEMORY.format(root=root)], capture_output=True, text=True,
                         timeout=120, cwd=root)
    assert run.returncode == 0, run.stderr
    size, outcome, grown_mb = run.stdout.split()
    assert int(size) < 600_000  # a small file ...
    assert outcome == "photo_too_many_pixels"  # ... refused by what it would unpack to
    assert int(grown_mb) < 20, f"peak memory grew by {grown_mb} MB"


def test_the_refusal_says_how_large_the_image_is(ctx, session) -> None:
    from tests.bombs import png_bomb

    with pytest.raises(TooLarge) as refused:
        photos.add_photo(ctx, session.id, None, "bombe.png", png_bomb())
    assert refused.value.key == "photo_too_many_pixels" and refused.value.http_status == 413
    assert refused.value.params == {"megapixels": 119, "limit": 50}
    assert count(ctx) == 0


def test_at_most_two_images_are_decoded_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four uploads at the same moment: two decode, the others wait their turn (bounded memory)."""
    import threading
    import time

    running, peak, lock = [0], [0], threading.Lock()
    real = photos._reencode

    def slow(raw: bytes, kind: str):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.15)
        with lock:
            running[0] -= 1
        return real(raw, kind)

    monkeypatch.setattr(photos, "_reencode", slow)
    raw = jpeg_with_gps()
    done: list[str] = []
    threads = [threading.Thread(target=lambda: done.append(photos.clean_image(raw)[1])) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert done == ["image/jpeg"] * 4
    assert peak[0] == photos.IMAGE_WORKERS == 2


def test_an_upload_that_waits_too_long_for_a_turn_is_asked_to_try_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from methods.errors import RateLimited

    release = threading.Event()
    real = photos._reencode
    monkeypatch.setattr(photos, "_reencode", lambda raw, kind: (release.wait(5), real(raw, kind))[1])
    monkeypatch.setattr(photos, "WAIT_SECONDS", 0.1)
    raw = jpeg_with_gps()
    busy = [threading.Thread(target=photos.clean_image, args=(raw,)) for _ in range(photos.IMAGE_WORKERS)]
    for thread in busy:
        thread.start()
    time.sleep(0.05)
    with pytest.raises(RateLimited) as waited:
        photos.clean_image(raw)
    assert waited.value.key == "photo_busy"
    release.set()
    for thread in busy:
        thread.join()
