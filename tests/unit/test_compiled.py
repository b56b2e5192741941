"""The modules pyproject.toml has mypyc compile are compiled, and from their current source.

The tests run the gateway as it is deployed: compiled. An editable install builds the compiled
modules beside their source, where Python imports them first; after a change to the source, they
must be built again, or every test would run the old code."""

from __future__ import annotations

import importlib
import importlib.machinery
import pathlib
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOOK = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"][
    "hooks"
]["mypyc"]
REBUILD = "build them again: .venv/bin/python -m pip install -e '.[dev]'"


def test_the_list_is_not_empty() -> None:
    assert HOOK["include"]


@pytest.mark.parametrize("source", HOOK["include"])
def test_each_module_is_compiled_from_its_current_source(source: str) -> None:
    path = ROOT / source
    name = ".".join(path.relative_to(ROOT / "gateway").with_suffix("").parts)
    module = importlib.import_module(name)
    compiled = isinstance(module.__loader__, importlib.machinery.ExtensionFileLoader)
    assert compiled, f"{name} is not compiled: {REBUILD}"
    # What Python imports in its place: the module built beside its source.
    (built,) = [
        path.with_suffix(suffix)
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        if path.with_suffix(suffix).exists()
    ]
    assert built.stat().st_mtime >= path.stat().st_mtime, f"{name} is older than {source}: {REBUILD}"
