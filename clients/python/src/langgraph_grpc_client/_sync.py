"""The synchronous client (grpc): get_sync_client, SyncLangGraphClient, SyncRunsClient."""

from __future__ import annotations

import builtins
import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

import grpc
import grpc.experimental

from langgraph_grpc_client import _common
from langgraph_grpc_client._common import NOT_PROVIDED, DataFormat, runs_pb2
from langgraph_grpc_client.errors import RunFailedError, from_rpc_error
from langgraph_grpc_client.schema import (
    All,
    Checkpoint,
    Command,
    Config,
    Context,
    DisconnectMode,
    Durability,
    IfNotExists,
    Input,
    MultitaskStrategy,
    OnCompletionBehavior,
    RunCreateMetadata,
    StreamMode,
    StreamPart,
)

_STREAM_RUN = _common.method_path("RunsService", "StreamRun")
_WAIT_RUN = _common.method_path("RunsService", "WaitRun")


def get_sync_client(
    address: str | None = None,
    *,
    url: str | None = None,
    api_key: str | None = NOT_PROVIDED,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = None,
    credentials: grpc.ChannelCredentials | None = None,
    options: Sequence[tuple[str, Any]] | None = None,
    data_format: DataFormat = "value",
    single_threaded_streams: bool = True,
) -> SyncLangGraphClient:
    """Create a blocking client for the gateway at `address`; the arguments are get_client's,
    and `single_threaded_streams` (see SyncLangGraphClient)."""
    target, secure = _common.parse_address(address, url)
    if credentials is None and secure:
        credentials = grpc.ssl_channel_credentials()
    return SyncLangGraphClient(
        target,
        credentials=credentials,
        options=options,
        metadata=_common.call_metadata(headers, _common.api_key_from(api_key)),
        timeout=timeout,
        data_format=data_format,
        single_threaded_streams=single_threaded_streams,
    )


# grpcio reads a stream's messages on the caller's thread with this option, instead of handing
# each one over from the channel's own thread: about 1.3-2.5x the messages per second on one
# stream, measured against the gateway and a bare grpc server (bench/). The option's presence
# turns it on, whatever its value, so it is added only when wanted.
SINGLE_THREADED_STREAMS = (grpc.experimental.ChannelOptions.SingleThreadedUnaryStream, 1)


class SyncLangGraphClient:
    """Top-level blocking client. `runs` runs assistants; `channel` is the grpc channel, for
    stubs of other services in the generated modules (langgraph_grpc_client._gen).

    With `single_threaded_streams` (the default) the channel reads server streams on the
    caller's thread (grpcio's SingleThreadedUnaryStream). For stubs on `channel` this means a
    stream's code(), details() and trailing_metadata() answer only once it has ended (they
    raise grpc.experimental.UsageError before, instead of waiting); pass False for grpcio's
    usual behaviour.
    """

    def __init__(
        self,
        target: str,
        *,
        credentials: grpc.ChannelCredentials | None = None,
        options: Sequence[tuple[str, Any]] | None = None,
        metadata: _common.Metadata = (),
        timeout: float | None = None,
        data_format: DataFormat = "value",
        single_threaded_streams: bool = True,
    ) -> None:
        self.target = target
        self.metadata = metadata
        self.timeout = timeout
        self.data_format = data_format
        all_options = [("grpc.primary_user_agent", _common.USER_AGENT), *(options or ())]
        if single_threaded_streams:
            all_options.append(SINGLE_THREADED_STREAMS)
        if credentials is not None:
            self.channel: grpc.Channel = grpc.secure_channel(target, credentials, all_options)
        else:
            self.channel = grpc.insecure_channel(target, all_options)
        self.runs = SyncRunsClient(self)

    def _metadata(self, headers: Mapping[str, str] | None) -> _common.Metadata:
        return self.metadata + _common.call_metadata(headers)

    def _timeout(self, timeout: float | None) -> float | None:
        return timeout if timeout is not None else self.timeout

    def __enter__(self) -> SyncLangGraphClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the channel (calls in flight are cancelled)."""
        self.channel.close()


class SyncRunStream(Iterator[StreamPart]):
    """The events of a streamed run, as StreamParts. The call starts on the first iteration.

    After the first part, `run_id` and `thread_id` hold the ids the gateway sent as initial
    metadata. Leaving the stream early (`close()`, `with` exit, garbage collection) cancels
    the call, and the gateway hangs up on the server (which then applies on_disconnect).
    """

    run_id: str | None
    thread_id: str | None

    def __init__(
        self,
        start: Callable[[], grpc.CallIterator[Any]],
        *,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        raise_error: bool = True,
    ) -> None:
        self._start = start
        self._on_run_created = on_run_created
        self._raise_error = raise_error
        self._call: grpc.CallIterator[Any] | None = None
        self._messages: Iterator[Any] | None = None
        self._done = False
        self._saw_error_event = False
        self.run_id = None
        self.thread_id = None

    def __iter__(self) -> SyncRunStream:
        return self

    def __next__(self) -> StreamPart:
        if self._done:
            raise StopIteration
        try:
            if self._call is None or self._messages is None:
                self._call = self._start()
                self._messages = iter(self._call)
                self._created(self._call.initial_metadata())
            message = next(self._messages)
        except StopIteration:
            self._done = True
            raise
        except grpc.RpcError as exc:
            self._done = True
            error = from_rpc_error(exc)
            if isinstance(error, RunFailedError) and self._saw_error_event and not self._raise_error:
                raise StopIteration from None  # as langgraph-sdk: the `error` event ends it
            raise error from exc
        except BaseException:
            self.close()
            raise
        part = _common.stream_part(message)
        if part.event == "error":
            self._saw_error_event = True
        return part

    def _created(self, initial_metadata: Any) -> None:
        created = _common.run_created(initial_metadata)
        if created is not None:
            self.run_id, self.thread_id = created["run_id"], created["thread_id"]
            if self._on_run_created is not None:
                self._on_run_created(created)

    def close(self) -> None:
        """Stop reading and cancel the call if it is still going."""
        self._done = True
        if self._call is not None:
            _cancel(self._call)

    def __enter__(self) -> SyncRunStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        call = getattr(self, "_call", None)
        if call is not None:
            with contextlib.suppress(Exception):  # e.g. the event loop is already closed
                _cancel(call)


class SyncRunsClient:
    """Runs over gRPC, with langgraph-sdk's `client.runs` signatures (stream, wait), blocking."""

    def __init__(self, client: SyncLangGraphClient) -> None:
        self._client = client

    def stream(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] = "values",
        stream_subgraphs: bool = False,
        stream_resumable: bool = False,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        feedback_keys: Sequence[str] | None = None,
        on_disconnect: DisconnectMode | None = None,
        on_completion: OnCompletionBehavior | None = None,
        webhook: str | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        after_seconds: float | None = None,
        langsmith_tracing: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
        version: str = "v1",
        raise_error: bool = True,
        timeout: float | None = None,
    ) -> SyncRunStream:
        """Create a run and stream its events (RunsService.StreamRun).

        The arguments are langgraph-sdk's `client.runs.stream`: `thread_id=None` is a stateless
        run; a thread id runs on that thread. Each part is a StreamPart (event, data, id) with
        data as plain Python. The first part is `metadata` ({run_id, attempt}).

        A run that fails yields its `error` part, then raises RunFailedError (gRPC INTERNAL);
        with `raise_error=False` the stream just ends there, as langgraph-sdk's does.
        `timeout` is this call's deadline in seconds. `langsmith_tracing`, `params` and
        `strict_resume` have no field in the gateway's request and are refused if given;
        only `version="v1"` parts are supported.
        """
        _common.unsupported(langsmith_tracing=langsmith_tracing, params=params, strict_resume=strict_resume)
        if version != "v1":
            raise ValueError("only version='v1' stream parts are supported")
        request = _common.build_run_request(
            runs_pb2.StreamRunRequest,
            thread_id=thread_id,
            assistant_id=assistant_id,
            data_format=self._client.data_format,
            input=input,
            command=command,
            stream_mode=stream_mode,
            stream_subgraphs=stream_subgraphs,
            stream_resumable=stream_resumable,
            metadata=metadata,
            config=config,
            context=context,
            checkpoint=checkpoint,
            checkpoint_id=checkpoint_id,
            checkpoint_during=checkpoint_during,
            interrupt_before=interrupt_before,
            interrupt_after=interrupt_after,
            feedback_keys=feedback_keys,
            on_disconnect=on_disconnect,
            on_completion=on_completion,
            webhook=webhook,
            multitask_strategy=multitask_strategy,
            if_not_exists=if_not_exists,
            after_seconds=after_seconds,
            durability=durability,
        )
        client = self._client
        call_metadata = client._metadata(headers)
        deadline = client._timeout(timeout)

        def start() -> grpc.CallIterator[Any]:
            method = client.channel.unary_stream(
                _STREAM_RUN,
                request_serializer=runs_pb2.StreamRunRequest.SerializeToString,
                response_deserializer=runs_pb2.StreamRunResponse.FromString,
            )
            return method(request, timeout=deadline, metadata=call_metadata)

        return SyncRunStream(start, on_run_created=on_run_created, raise_error=raise_error)

    def wait(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        on_disconnect: DisconnectMode | None = None,
        on_completion: OnCompletionBehavior | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        after_seconds: float | None = None,
        langsmith_tracing: Mapping[str, Any] | None = None,
        raise_error: bool = True,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
        timeout: float | None = None,
    ) -> builtins.list[dict[str, Any]] | dict[str, Any]:
        """Create a run, wait for it to finish and return its final state (RunsService.WaitRun).

        The arguments are langgraph-sdk's `client.runs.wait`. A run that fails raises
        RunFailedError (gRPC INTERNAL, reason RUN_FAILED); with `raise_error=False` it returns
        {"__error__": {"error": ..., "message": ...}} instead, as langgraph-sdk does.
        `on_run_created` gets the ids from the call's initial metadata.
        """
        _common.unsupported(langsmith_tracing=langsmith_tracing, params=params, strict_resume=strict_resume)
        request = _common.build_run_request(
            runs_pb2.WaitRunRequest,
            thread_id=thread_id,
            assistant_id=assistant_id,
            data_format=self._client.data_format,
            input=input,
            command=command,
            metadata=metadata,
            config=config,
            context=context,
            checkpoint=checkpoint,
            checkpoint_id=checkpoint_id,
            checkpoint_during=checkpoint_during,
            interrupt_before=interrupt_before,
            interrupt_after=interrupt_after,
            webhook=webhook,
            on_disconnect=on_disconnect,
            on_completion=on_completion,
            multitask_strategy=multitask_strategy,
            if_not_exists=if_not_exists,
            after_seconds=after_seconds,
            durability=durability,
        )
        method = self._client.channel.unary_unary(
            _WAIT_RUN,
            request_serializer=runs_pb2.WaitRunRequest.SerializeToString,
            response_deserializer=runs_pb2.WaitRunResponse.FromString,
        )
        future: grpc.CallFuture[Any] = method.future(
            request, timeout=self._client._timeout(timeout), metadata=self._client._metadata(headers)
        )
        try:
            if on_run_created is not None:
                created = _common.run_created(future.initial_metadata())
                if created is not None:
                    on_run_created(created)
            response = future.result()
        except grpc.RpcError as exc:
            error = from_rpc_error(exc)
            if isinstance(error, RunFailedError) and not raise_error:
                return _common.failed_values(error.error_type, error.error_message)
            raise error from exc
        except BaseException:
            _cancel(future)
            raise
        values: builtins.list[dict[str, Any]] | dict[str, Any] = _common.final_values(response)
        return values


def _cancel(call: Any) -> None:
    call.cancel()
