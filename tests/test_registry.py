"""Every registered method has all its parts, typed: engine, views, board, texts, docs, tests.

Datasette-style: a method that lacks a part, a documented config field or a translation fails
here, naming what is missing, instead of somewhere in a page during a meeting.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app import i18n
from app.views import views
from app.views.base import ConsoleView, MethodViews, PhoneView
from methods import registry
from methods.base import Engine, MethodConfig, MethodResult
from sessions.protocol.board import Board
from sessions.protocol.registry import board

ROOT = Path(__file__).resolve().parents[1]
METHODS = registry.names()


@pytest.mark.parametrize("name", METHODS)
def test_engine_is_typed_and_complete(name: str) -> None:
    engine = registry.engine(name)
    assert isinstance(engine, Engine) and engine.name == name
    assert issubclass(engine.config, MethodConfig)
    assert issubclass(engine.result, MethodResult)
    config = engine.parse_config(engine.default_config)  # the editor's starting point is valid
    result = engine.tally(config, [], 0)
    assert isinstance(result, engine.result)
    assert engine.load_result(result.model_dump(mode="json")) == result  # a snapshot loads back
    engine.outcome(result)  # says something about an empty result without failing
    assert engine.demo_steps, f"methods/{name}.py has no demo step"
    for demo in engine.demo_steps:
        engine.parse_config(demo.config)
    if engine.items_field is not None:
        assert engine.items_field in engine.config.model_fields
        assert "items_from" in engine.config.model_fields, f"{name} takes items but has no items_from"


@pytest.mark.parametrize("name", METHODS)
def test_views_are_typed_and_complete(name: str) -> None:
    part = views(name)
    assert isinstance(part, MethodViews)
    assert issubclass(part.phone, PhoneView) and issubclass(part.console, ConsoleView)


@pytest.mark.parametrize("name", METHODS)
def test_board_is_typed(name: str) -> None:
    assert isinstance(board(name), Board)


@pytest.mark.parametrize("name", METHODS)
def test_method_phone_view_is_one_component_beside_its_module(name: str) -> None:
    """The phone view is a PhoneView backed by app/views/<name>.js, which renders participant and
    agenda text only as text: no v-html, innerHTML or eval in the browser code."""
    script = ROOT / "app" / "views" / f"{name}.js"
    assert script.exists(), f"{script} missing"
    code = script.read_text(encoding="utf-8")
    shared = (ROOT / "app" / "views" / "phone_parts.js").read_text(encoding="utf-8")
    for risky in ("v-html", "innerHTML", "outerHTML", "eval(", "new Function", "insertAdjacentHTML"):
        assert risky not in code, f"{script.name} uses {risky}"
        assert risky not in shared, f"phone_parts.js uses {risky}"
    assert "export default" in code and "submit" in code and "ack(" in code


def sections(markdown: str) -> dict[str, str]:
    """The ``## heading`` sections of a markdown page: heading text (lower case) -> body text.
    Lines inside fenced code blocks are never headings."""
    found: dict[str, str] = {}
    heading: str | None = None
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        match = None if fenced else re.match(r"^##\s+(.+?)\s*#*\s*$", line)
        if match:
            heading = match.group(1).lower()
            found[heading] = ""
        elif heading is not None:
            found[heading] += line + "\n"
    return found


def section(found: dict[str, str], pattern: str, doc: Path) -> str:
    """The body of the one section whose heading matches ``pattern``; it must say something."""
    matching = [h for h in found if re.fullmatch(pattern, h)]
    assert len(matching) == 1, f"{doc.name}: want one '## {pattern}' section, headings are {list(found)}"
    body = found[matching[0]].strip()
    assert len(body) > 40, f"{doc.name}: section '{matching[0]}' is (nearly) empty"
    return body


@pytest.mark.parametrize("name", METHODS)
def test_method_has_docs_and_tests(name: str) -> None:
    """docs/methods/<name>.md has a title and real sections on how to facilitate the method, its
    config (naming every key the engine accepts) and its result, not just the words somewhere."""
    doc = ROOT / "docs" / "methods" / f"{name}.md"
    assert doc.exists(), f"{doc} missing"
    text = doc.read_text(encoding="utf-8")
    assert re.match(r"# \S", text), f"{doc.name} does not start with a '# title'"
    found = sections(text)
    section(found, r"how to facilitate.*", doc)
    config = section(found, r"config(uration)?( keys)?", doc)
    undocumented = [key for key in registry.engine(name).config.model_fields if f"`{key}`" not in config]
    assert not undocumented, f"{doc.name}: config keys {undocumented} are not in the config section"
    section(found, r"(the )?results?", doc)
    assert (ROOT / "tests" / "methods" / f"test_{name}.py").exists()


@pytest.mark.parametrize("name", METHODS)
def test_texts_live_with_the_method_and_are_complete(name: str) -> None:
    shared = set(i18n.TEXTS)
    seen: set[str] = set()
    for layer in ("views", "board"):
        texts = i18n.method_texts(name, layer)
        for key, entry in texts.items():
            assert set(entry) >= {"de", "en"}, f"{name} {layer} text {key!r} lacks de or en"
            assert key not in shared, f"{name} {layer} text {key!r} overrides a shared text"
            assert key not in seen, f"{name} text {key!r} defined twice"
            seen.add(key)
    assert f"method.{name}" in seen, f"{name} has no display name (method.{name})"
    for other in METHODS:
        if other != name:
            for layer in ("views", "board"):
                clash = seen & set(i18n.method_texts(other, layer))
                assert not clash, f"{name} and {other} both define {sorted(clash)}"


def test_every_text_has_german_and_english() -> None:
    for key, entry in i18n.catalog().items():
        assert entry.get("de") and entry.get("en"), f"text {key!r} lacks de or en"


_T_CALL = re.compile(r"""\bt\(\s*["']([a-z][\w.]*\w)["']""")


def test_every_literal_text_key_used_in_code_exists() -> None:
    """``t("...")`` with a literal key anywhere in app/, sessions/ names a text in the catalog.
    Keys built at run time are caught by the suite-wide check in conftest.py (i18n.missing)."""
    known = i18n.catalog()
    for package in ("app", "sessions", "facilitation", "methods"):
        for path in (ROOT / package).rglob("*.py"):
            for key in _T_CALL.findall(path.read_text(encoding="utf-8")):
                assert key in known, f"{path.relative_to(ROOT)} uses text {key!r}, which is in no catalog"


_RAISE = re.compile(r"""\b(?:InvalidContribution|InvalidTransition|NotFound|NotAllowed|TooLarge|RateLimited)\(\s*["'](\w+)["']""")


def test_every_error_raised_has_a_text() -> None:
    """Each error key raised anywhere (engines included) reads in German and English."""
    known = i18n.catalog()
    for package in ("app", "sessions", "facilitation", "methods"):
        for path in (ROOT / package).rglob("*.py"):
            for key in _RAISE.findall(path.read_text(encoding="utf-8")):
                assert f"err.{key}" in known, f"{path.relative_to(ROOT)} raises {key!r}, which has no err.{key} text"


def test_outcome_keys_exist() -> None:
    """The keys an engine's outcome can name are in the catalog (engines name keys, views say them)."""
    known = i18n.catalog()
    for name in METHODS:
        source = (ROOT / "methods" / f"{name}.py").read_text(encoding="utf-8")
        for key in re.findall(r"""Text\(\s*["']([\w.]+)["']""", source):
            assert key in known, f"methods/{name}.py names text {key!r}, which is in no catalog"


def test_only_the_registration_list_names_a_method() -> None:
    """Outside a method's own modules, exactly one file names a method: methods/registry.py."""
    own = {f"{n}.py" for n in METHODS} | {f"{n}.js" for n in METHODS}
    offenders = []
    for package in ("app", "facilitation", "sessions", "methods"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name in own or path == ROOT / "methods" / "registry.py":
                continue
            text = path.read_text(encoding="utf-8")
            for name in METHODS:
                if re.search(rf"""["']{name}["']|\b{name}\.(NAME|ENGINE|tally)""", text) or \
                        re.search(rf"^\s*(from|import) .*\b{name}\b", text, re.M):
                    offenders.append(f"{path.relative_to(ROOT)} names {name}")
    assert not offenders, offenders


def test_methods_stay_pure() -> None:
    """methods/ imports only methods.* of ours (its exceptions module included), and no I/O frameworks."""
    forbidden = ("nicegui", "sqlalchemy", "fastapi", "random", "time", "datetime")
    for path in (ROOT / "methods").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in forbidden, f"{path.name} imports {name}"
                assert top not in ("app", "facilitation", "sessions"), f"{path.name} imports {name}"


def test_pages_never_touch_the_database() -> None:
    """app/ talks to facilitation/, never to sessions/ or SQLAlchemy directly."""
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in ("sessions", "sqlalchemy"), f"{path} imports {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in ("sessions", "sqlalchemy"), f"{path} imports {alias.name}"
