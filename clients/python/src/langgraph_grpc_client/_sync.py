"""The synchronous client (grpc): get_sync_client, SyncLangGraphClient, SyncRunsClient."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any

import grpc
import grpc.experimental

from langgraph_grpc_client import _common
from langgraph_grpc_client._common import NOT_PROVIDED, DataFormat, runs_pb2
from langgraph_grpc_client._services import (
    SyncAssistantsClient,
    SyncCronClient,
    SyncStoreClient,
    SyncThreadsClient,
)
from langgraph_grpc_client._services.runs import SyncRunsExtras
from langgraph_grpc_client._streams import SyncRunStream, _cancel
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
    """Top-level blocking client, as langgraph-sdk's: `runs`, `assistants`, `threads`, `crons` and
    `store`; `channel` is the grpc channel, for stubs of the generated modules
    (langgraph_grpc_client._gen).

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
        self.assistants = SyncAssistantsClient(self)
        self.threads = SyncThreadsClient(self)
        self.crons = SyncCronClient(self)
        self.store = SyncStoreClient(self)

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


class SyncRunsClient(SyncRunsExtras):
    """Runs over gRPC, with langgraph-sdk's `client.runs` signatures, blocking: stream and wait
    here; create, create_batch, list, get, cancel, cancel_many, join, join_stream and delete
    from SyncRunsExtras."""

    _client: SyncLangGraphClient

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
        `timeout` is this call's deadline in seconds. `params` (extra HTTP query parameters)
        has no gRPC equivalent and is refused if given; only `version="v1"` parts are supported.
        """
        _common.unsupported(params=params)
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
            strict_resume=strict_resume,
            langsmith_tracing=langsmith_tracing,
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
        `on_run_created` gets the ids from the call's initial metadata: given, the request asks the
        gateway to send them as soon as the run is created (notify_run_created).
        """
        _common.unsupported(params=params)
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
            strict_resume=strict_resume,
            langsmith_tracing=langsmith_tracing,
        )
        request.notify_run_created = on_run_created is not None
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
