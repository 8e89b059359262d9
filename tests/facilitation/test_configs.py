"""Step configs are parsed once per distinct config and shared by every delivery
(``facilitation/configs.py``): a delivery parses no config it parsed before, and an edited config
is parsed anew."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from facilitation import configs, live, organize
from facilitation.context import Context
from tests.factories import create_session


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The methods whose config was parsed, as they are parsed (the cache emptied first)."""
    configs._parsed.cache_clear()  # noqa: SLF001 — another test may have parsed the same configs
    seen: list[str] = []
    real = configs.parse_config

    def counting(method: str, raw: dict[str, Any] | None) -> Any:
        seen.append(method)
        return real(method, raw)

    monkeypatch.setattr(configs, "parse_config", counting)
    return seen


def test_a_delivery_parses_no_config_it_parsed_before(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = create_session(ctx, "hand_vote", {"method": "consensing", "config": {"proposals": ["A", "B"]}},
                         {"method": "hand_vote", "config": {"question": "Noch?"}}, title="T").session.id
    seen = parses(monkeypatch)
    first = live.build_state(ctx, sid)
    assert sorted(seen) == ["consensing", "hand_vote", "hand_vote"]
    second = live.build_state(ctx, sid)
    assert len(seen) == 3  # nothing parsed again
    assert [s.config for s in second.session.steps] == [s.config for s in first.session.steps]
    assert all(a.config is b.config for a, b in zip(first.session.steps, second.session.steps, strict=True))


def test_an_edited_config_is_parsed_anew_and_the_old_one_stays(ctx: Context,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    created = create_session(ctx, {"method": "hand_vote", "config": {"question": "Einverstanden?"}}, title="T")
    sid, step = created.session.id, created.session.steps[0].id
    seen = parses(monkeypatch)
    before = live.build_state(ctx, sid).session.steps[0]
    organize.update_step(ctx, step, "T", {"question": "Wirklich einverstanden?"})
    after = live.build_state(ctx, sid).session.steps[0]
    assert seen == ["hand_vote", "hand_vote"]
    assert after.config.question == "Wirklich einverstanden?"
    assert before.config.question == "Einverstanden?"  # the shared object was not changed
    organize.update_step(ctx, step, "T", {"question": "Einverstanden?"})  # back: parsed before
    assert live.build_state(ctx, sid).session.steps[0].config is before.config
    assert len(seen) == 2


def test_the_shared_config_cannot_be_changed_and_a_bad_one_is_not_cached() -> None:
    config = configs.cached_config("hand_vote", {"question": "Einverstanden?"})
    with pytest.raises(ValidationError):
        config.question = "anders"
    assert configs.cached_config("hand_vote", {"question": "Einverstanden?"}).question == "Einverstanden?"
    for _ in range(2):  # raised each time, not remembered as a result
        with pytest.raises(ValidationError):
            configs.cached_config("hand_vote", {"question": "x", "unknown_key": 1})
