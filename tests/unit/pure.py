"""A gateway module run from its Python source, where the installed one is compiled (mypyc).

A few tests watch how a module does its work (what it parses, what it encodes again) by replacing
one of its names: compiled code calls its own functions and imports directly, past the module's
names. Those tests run the same source as Python, with its sibling modules as installed."""

from __future__ import annotations

import importlib.util
import pathlib
from types import ModuleType

import langgraph_grpc_gateway

_SOURCE = pathlib.Path(langgraph_grpc_gateway.__file__).parent


def pure(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"langgraph_grpc_gateway.{name}", _SOURCE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
