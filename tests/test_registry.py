"""Every registered method has all its parts: engine, views, docs and tests (Datasette-style)."""

from __future__ import annotations

import ast
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


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_method_has_docs_and_tests(name: str) -> None:
    doc = ROOT / "docs" / "methods" / f"{name}.md"
    assert doc.exists(), f"{doc} missing"
    text = doc.read_text(encoding="utf-8")
    for section in ("facilitate", "config", "result"):
        assert section in text.lower(), f"{doc} has no section on {section}"
    assert (ROOT / "tests" / "methods" / f"test_{name}.py").exists()


def test_every_view_is_a_registered_method() -> None:
    assert set(VIEWS) == set(ENGINES)


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
