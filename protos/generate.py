"""Generate the Python code for protos/ into gateway/, and the descriptor set
protos/langgraph_gateway.protoset (run: python protos/generate.py).

The generated modules are committed so that `pip install .` needs no build step; CI runs this
script again and fails if the result differs from what is committed. Never edit the output.

The descriptor set is the published schema for tools without reflection (grpcurl -protoset,
buf curl --schema, ...): a FileDescriptorSet of every proto with its imports and comments.
"""

from __future__ import annotations

import pathlib
import sys

from grpc_tools import protoc

PROTOS = pathlib.Path(__file__).resolve().parent
OUT = PROTOS.parent / "gateway"
PROTOSET = PROTOS / "langgraph_gateway.protoset"


def main() -> int:
    files = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.rglob("*.proto"))
    include = pathlib.Path(protoc.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTOS}",
        f"-I{include}",
        f"--python_out={OUT}",
        f"--pyi_out={OUT}",
        f"--grpc_python_out={OUT}",
        f"--descriptor_set_out={PROTOSET}",
        "--include_imports",
        "--include_source_info",
        *files,
    ]
    code = protoc.main(args)
    if code:
        return code
    for package in {OUT / pathlib.Path(f).parent for f in files}:
        for directory in (package, *package.parents):
            if directory == OUT:
                break
            (directory / "__init__.py").touch()
    return 0


if __name__ == "__main__":
    sys.exit(main())
