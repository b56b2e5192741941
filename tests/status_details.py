"""Reading the google.rpc.Status the gateway puts in a failed call's trailers."""

from __future__ import annotations

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status


def error_info(error: grpc.aio.AioRpcError) -> error_details_pb2.ErrorInfo:
    """The one ErrorInfo in the call's google.rpc.Status (grpc-status-details-bin), checked to
    agree with the call's own code and message and to come from the gateway's domain."""
    status = rpc_status.from_call(error)  # AioRpcError has the trailing_metadata() it reads
    assert status is not None, f"no grpc-status-details-bin in {error!r}"
    assert status.code == error.code().value[0]
    assert status.message == error.details()
    infos = []
    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            infos.append(info)
    assert len(infos) == 1, f"expected one ErrorInfo in {status}"
    assert infos[0].domain == "langgraph-grpc-gateway"
    return infos[0]
