"""Every registered method has all its parts: engine, views, docs and tests (Datasette-style)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.views import VIEWS
from methods.registry import ENGINES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_engine_interface(name: str) -> None:
    engine = ENGINES[name]
    assert engine.NAME == name
    for attr in ("Config", "validate", "tally", "RESULTS_HIDDEN_BY_DEFAULT"):
        assert hasattr(engine, attr), f"methods/{name}.py lacks {attr}"


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_method_has_views(name: str) -> None:
    assert name in VIEWS, f"app/views/{name}.py is not registered"
    assert hasattr(VIEWS[name], "PHONE") and hasattr(VIEWS[name], "CONSOLE")


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_method_phone_view_is_one_component_beside_its_module(name: str) -> None:
    """The phone view is a PhoneView backed by app/views/<name>.js, which renders participant and
    agenda text only as text: no v-html, innerHTML or eval in the browser code."""
    from app.views.base import PhoneView

    assert issubclass(VIEWS[name].PHONE, PhoneView)
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


@pytest.mark.parametrize("name", sorted(ENGINES))
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
    undocumented = [key for key in ENGINES[name].Config.model_fields if f"`{key}`" not in config]
    assert not undocumented, f"{doc.name}: config keys {undocumented} are not in the config section"
    section(found, r"(the )?results?", doc)
    assert (ROOT / "tests" / "methods" / f"test_{name}.py").exists()


def test_every_view_is_a_registered_method() -> None:
    assert set(VIEWS) == set(ENGINES)


def test_methods_stay_pure() -> None:
    """methods/ imports nothing of ours except the leaf exceptions module, and no I/O frameworks."""
    forbidden = ("nicegui", "sqlalchemy", "app", "sessions", "fastapi", "random", "time", "datetime")
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
                if top == "facilitation":
                    assert name == "facilitation.errors", f"{path.name} imports {name}"


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
