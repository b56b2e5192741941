"""What every wrapped service shares: one unary call (or server stream) by method name, with the
client's metadata and deadline, and gRPC errors raised as the sdk's exception classes."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

import grpc
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

from langgraph_grpc_client import _common
from langgraph_grpc_client._gen.langgraph_gateway.v1 import (  # noqa: F401  (registers the services)
    assistants_pb2,
    crons_pb2,
    runs_pb2,
    store_pb2,
    threads_pb2,
)
from langgraph_grpc_client._streams import AsyncRunStream, SyncRunStream, _cancel
from langgraph_grpc_client.errors import from_rpc_error

PACKAGE = "langgraph_gateway.v1"


@functools.cache
def method(service: str, name: str) -> tuple[str, type[Message]]:
    """The gRPC path of `service`'s method `name` and the class of its answer."""
    found = descriptor_pool.Default().FindServiceByName(f"{PACKAGE}.{service}").methods_by_name[name]
    return f"/{PACKAGE}.{service}/{name}", message_factory.GetMessageClass(found.output_type)


def arguments(values: dict[str, Any], *skip: str) -> dict[str, Any]:
    """A method's arguments (its `locals()`) less self, the call options and `skip`: the fields
    of the request, by name."""
    leave = {"self", "headers", "params", "timeout", *skip}
    return {name: value for name, value in values.items() if name not in leave}


class _AsyncOwner(Protocol):
    data_format: _common.DataFormat

    @property
    def channel(self) -> grpc.aio.Channel: ...
    def _metadata(self, headers: Mapping[str, str] | None) -> _common.Metadata: ...
    def _timeout(self, timeout: float | None) -> float | None: ...


class _SyncOwner(Protocol):
    channel: grpc.Channel
    data_format: _common.DataFormat

    def _metadata(self, headers: Mapping[str, str] | None) -> _common.Metadata: ...
    def _timeout(self, timeout: float | None) -> float | None: ...


class AsyncService:
    """Base of the asyncio service clients: `await self._call("GetItem", request, headers, timeout)`."""

    SERVICE: ClassVar[str]

    def __init__(self, client: _AsyncOwner) -> None:
        self._client = client

    async def _call(
        self, name: str, request: Message, headers: Mapping[str, str] | None, timeout: float | None
    ) -> Any:
        path, answer = method(self.SERVICE, name)
        rpc = self._client.channel.unary_unary(
            path, request_serializer=type(request).SerializeToString, response_deserializer=answer.FromString
        )
        call = rpc(request, timeout=self._client._timeout(timeout), metadata=self._client._metadata(headers))
        try:
            return await call
        except grpc.aio.AioRpcError as exc:
            raise from_rpc_error(exc) from exc
        except asyncio.CancelledError:
            call.cancel()
            raise

    def _stream(
        self, name: str, request: Message, headers: Mapping[str, str] | None, timeout: float | None
    ) -> AsyncRunStream:
        path, answer = method(self.SERVICE, name)
        client = self._client
        metadata, deadline = client._metadata(headers), client._timeout(timeout)

        def start() -> grpc.aio.UnaryStreamCall[Any, Any]:
            rpc = client.channel.unary_stream(
                path,
                request_serializer=type(request).SerializeToString,
                response_deserializer=answer.FromString,
            )
            return rpc(request, timeout=deadline, metadata=metadata)

        return AsyncRunStream(start)


class SyncService:
    """Base of the blocking service clients: `self._call("GetItem", request, headers, timeout)`."""

    SERVICE: ClassVar[str]

    def __init__(self, client: _SyncOwner) -> None:
        self._client = client

    def _call(
        self, name: str, request: Message, headers: Mapping[str, str] | None, timeout: float | None
    ) -> Any:
        path, answer = method(self.SERVICE, name)
        rpc = self._client.channel.unary_unary(
            path, request_serializer=type(request).SerializeToString, response_deserializer=answer.FromString
        )
        future = rpc.future(
            request, timeout=self._client._timeout(timeout), metadata=self._client._metadata(headers)
        )
        try:
            return future.result()
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        except BaseException:
            _cancel(future)  # e.g. KeyboardInterrupt while waiting
            raise

    def _stream(
        self, name: str, request: Message, headers: Mapping[str, str] | None, timeout: float | None
    ) -> SyncRunStream:
        path, answer = method(self.SERVICE, name)
        client = self._client
        metadata, deadline = client._metadata(headers), client._timeout(timeout)

        def start() -> grpc.CallIterator[Any]:
            rpc = client.channel.unary_stream(
                path,
                request_serializer=type(request).SerializeToString,
                response_deserializer=answer.FromString,
            )
            return rpc(request, timeout=deadline, metadata=metadata)

        return SyncRunStream(start)
