"""What the async and the sync client share: addresses, call metadata, request building from
langgraph-sdk style keyword arguments, and decoding answers. Pure functions, no I/O."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from google.protobuf import message as _message

from langgraph_grpc_client import _build, _values
from langgraph_grpc_client.schema import RunCreateMetadata, StreamPart

try:
    from langgraph_grpc_client._gen.langgraph_gateway.v1 import runs_pb2
except ImportError as exc:  # pragma: no cover - only before generate.py ran
    raise ImportError(
        "langgraph_grpc_client's generated protobuf modules are missing: "
        "run `bash clients/python/setup.sh` (or `python clients/python/generate.py`)"
    ) from exc

__all__ = ["runs_pb2"]

DEFAULT_ADDRESS = "127.0.0.1:50051"
RUN_ID_KEY = "x-langgraph-run-id"
THREAD_ID_KEY = "x-langgraph-thread-id"
RESERVED_HEADERS = ("x-api-key",)
API_KEY_ENV = ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY")
USER_AGENT = "langgraph-grpc-client-py/0.1.0"

DataFormat = Literal["value", "json"]
Metadata = tuple[tuple[str, str], ...]


class _NotProvided:
    def __repr__(self) -> str:
        return "NOT_PROVIDED"


NOT_PROVIDED: Any = _NotProvided()
"""Default of `api_key`: read it from the environment, as langgraph-sdk does."""


def method_path(service: str, method: str) -> str:
    """The gRPC path of a method in runs.proto: /langgraph_gateway.v1.RunsService/StreamRun."""
    descriptor = runs_pb2.DESCRIPTOR.services_by_name[service]
    return f"/{descriptor.full_name}/{descriptor.methods_by_name[method].name}"


def parse_address(address: str | None, url: str | None) -> tuple[str, bool]:
    """The gRPC target and whether to use TLS.

    "host:port" (and "grpc://", "http://") is plaintext; "grpcs://" and "https://" use TLS.
    `url` is accepted as a synonym of `address`, for code written for langgraph-sdk.
    """
    if address is not None and url is not None and address != url:
        raise ValueError("give the gateway's address once: either address or url")
    target = address or url or os.environ.get("LANGGRAPH_GATEWAY_ADDRESS") or DEFAULT_ADDRESS
    secure = False
    for scheme, tls in (("grpcs://", True), ("https://", True), ("grpc://", False), ("http://", False)):
        if target.startswith(scheme):
            target, secure = target[len(scheme) :], tls
            break
    target = target.rstrip("/")
    if not target or "/" in target:
        raise ValueError(f"not a gRPC address (host:port): {address or url!r}")
    return target, secure


def api_key_from(api_key: str | None) -> str | None:
    """The API key: the one given, or (when not given) the first of the sdk's variables."""
    if api_key is not NOT_PROVIDED:
        return api_key
    for name in API_KEY_ENV:
        if value := os.environ.get(name):
            return value.strip()
    return None


def call_metadata(headers: Mapping[str, str] | None, api_key: str | None = None) -> Metadata:
    """Headers as gRPC metadata (keys lower-cased, as gRPC requires)."""
    pairs: list[tuple[str, str]] = []
    for key, value in (headers or {}).items():
        name = key.lower()
        if name in RESERVED_HEADERS:
            raise ValueError(f"Cannot set reserved header '{key}'")
        pairs.append((name, value))
    if api_key:
        pairs.append(("x-api-key", api_key))
    return tuple(pairs)


def run_created(initial_metadata: Any) -> RunCreateMetadata | None:
    """The run's ids from the call's initial metadata (x-langgraph-run-id / -thread-id)."""
    found: dict[str, str] = {}
    for key, value in initial_metadata or ():
        if key in (RUN_ID_KEY, THREAD_ID_KEY) and key not in found:
            found[key] = value.decode() if isinstance(value, bytes) else str(value)
    if RUN_ID_KEY not in found:
        return None
    return RunCreateMetadata(run_id=found[RUN_ID_KEY], thread_id=found.get(THREAD_ID_KEY) or None)


def unsupported(**arguments: Any) -> None:
    """Refuse langgraph-sdk arguments the gateway has no field for (rather than drop them)."""
    for name, value in arguments.items():
        if value is not None:
            raise ValueError(f"{name} is not supported by the gRPC gateway (the request has no such field)")


R = TypeVar("R", bound=_message.Message)


def _enum_number(request: _message.Message, field: str, value: str) -> int:
    """The number of the field's enum value for an sdk string ("cancel" -> ON_DISCONNECT_CANCEL)."""
    enum = request.DESCRIPTOR.fields_by_name[field].enum_type
    assert enum is not None, field
    names = [v.name for v in enum.values if not v.name.endswith("_UNSPECIFIED")]
    prefix = next((v.name[: -len("UNSPECIFIED")] for v in enum.values if v.number == 0), "")
    name = prefix + value.upper().replace("-", "_")
    if name not in names:
        allowed = ", ".join(repr(n[len(prefix) :].lower()) for n in names)
        raise ValueError(f"{field} must be one of {allowed}, not {value!r}")
    return enum.values_by_name[name].number


def _has(request: _message.Message, field: str) -> bool:
    return field in request.DESCRIPTOR.fields_by_name


def build_run_request(
    cls: type[R],
    *,
    thread_id: str | None,
    assistant_id: str,
    data_format: DataFormat = "value",
    **options: Any,
) -> R:
    """A StreamRunRequest / WaitRunRequest from langgraph-sdk's keyword arguments.

    An argument left None is not set, so the server's default applies (as the sdk leaves it
    out of the JSON body). `stream_mode` is a string or a list of strings; `interrupt_before`
    / `interrupt_after` accept "*"; enum-valued arguments take the sdk's strings ("cancel",
    "reject", ...). `checkpoint_id` is the request's own field (into `checkpoint.checkpoint_id`
    with protos from before it had one); `langsmith_tracing` is its `langsmith_tracer`.
    """
    request = cls()
    request.assistant_id = assistant_id  # type: ignore[attr-defined]
    if thread_id is not None:
        request.thread_id = thread_id  # type: ignore[attr-defined]
    if options.get("checkpoint_during") is not None:
        warnings.warn(
            "`checkpoint_during` is deprecated and will be removed in a future version. "
            "Use `durability` instead.",
            DeprecationWarning,
            stacklevel=3,
        )
    msg = cast(Any, request)
    for field, value in options.items():
        if value is None:
            continue
        if field == "checkpoint_id" and not _has(request, field):
            continue  # an older gateway's request: merged into checkpoint below
        if field == "langsmith_tracing":  # the sdk's name for the body's `langsmith_tracer`
            if not _has(request, "langsmith_tracer"):
                raise ValueError(f"langsmith_tracing is not supported by this gateway's {cls.__name__}")
            _build.fill_from(msg.langsmith_tracer, value)
            msg.langsmith_tracer.SetInParent()
            continue
        if not _has(request, field):
            raise ValueError(f"{field} is not supported by this gateway's {cls.__name__}")
        if field == "input":
            msg.input.CopyFrom(_values.to_value(value))
        elif field in ("config", "context", "metadata"):
            getattr(msg, field).CopyFrom(_values.to_struct(value))
        elif field == "command":
            _set_command(msg.command, value)
        elif field == "checkpoint":
            _set_checkpoint(msg.checkpoint, value)
        elif field in ("stream_mode", "interrupt_before", "interrupt_after", "feedback_keys"):
            getattr(msg, field).extend([value] if isinstance(value, str) else list(value))
        elif field in ("on_disconnect", "on_completion", "durability", "multitask_strategy", "if_not_exists"):
            setattr(msg, field, _enum_number(request, field, value))
        elif field == "after_seconds":
            msg.after_seconds = float(value)
        else:
            setattr(msg, field, value)
    if options.get("checkpoint_id") is not None and not _has(request, "checkpoint_id"):
        if not _has(request, "checkpoint"):
            raise ValueError(f"checkpoint_id is not supported by this gateway's {cls.__name__}")
        msg.checkpoint.checkpoint_id = options["checkpoint_id"]
    if data_format == "json":
        if not _has(request, "data_format"):
            raise ValueError("data_format='json' needs protos with DataFormat (regenerate the client)")
        msg.data_format = _enum_number(request, "data_format", "json")
    elif data_format != "value":
        raise ValueError(f"data_format must be 'value' or 'json', not {data_format!r}")
    return request


def _set_command(target: Any, command: Mapping[str, Any]) -> None:
    for key, value in command.items():
        if value is None:
            continue  # as the sdk: None entries are dropped
        if key not in ("update", "resume", "goto"):
            raise ValueError(f"unknown command key {key!r} (expected update, resume, goto)")
        getattr(target, key).CopyFrom(_values.to_value(value))
    target.SetInParent()


def _set_checkpoint(target: Any, checkpoint: Mapping[str, Any]) -> None:
    for key, value in checkpoint.items():
        if value is None:
            continue
        if key == "checkpoint_map":
            target.checkpoint_map.CopyFrom(_values.to_struct(value))
        elif key in ("thread_id", "checkpoint_ns", "checkpoint_id"):
            setattr(target, key, value)
        else:
            raise ValueError(f"unknown checkpoint key {key!r}")
    target.SetInParent()


def _payload(message: Any, value_field: str, json_field: str) -> Any:
    raw = getattr(message, json_field, b"") if json_field in message.DESCRIPTOR.fields_by_name else b""
    if raw:
        return json.loads(raw)
    if message.HasField(value_field):
        return _values.from_value(getattr(message, value_field))
    return None


def stream_part(message: Any) -> StreamPart:
    """A StreamRunResponse as a StreamPart (data as plain Python, id None when empty)."""
    return StreamPart(event=message.event, data=_payload(message, "data", "data_json"), id=message.id or None)


def final_values(message: Any) -> Any:
    """A WaitRunResponse's values as plain Python."""
    return _payload(message, "values", "values_json")


def failed_values(error_type: str, error_message: str) -> dict[str, Any]:
    """What the server answers for a failed run, for wait(raise_error=False)."""
    return {"__error__": {"error": error_type, "message": error_message}}
