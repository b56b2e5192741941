"""One structured JSON line per call, on the `langgraph_grpc_gateway.access` logger.

    {"method": "/langgraph_gateway.v1.RunsService/StreamRun", "code": "OK", "duration_ms": 812.4,
     "run_id": "...", "messages_sent": 5, "peer": "ipv4:127.0.0.1:53012", "client": "CN=svc-a"}

Built from the calls.Call record only: metadata (and with it every credential) never reaches a
log line, and nothing here touches grpc's context (the call may be gone by now: see
calls.capture). `client` is the TLS client certificate's identity, present with mTLS.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from .calls import Call

log = logging.getLogger("langgraph_grpc_gateway.access")


def record(call: Call) -> dict[str, Any]:
    """The access line's fields for a finished call."""
    fields: dict[str, Any] = {
        "method": f"/{call.service}/{call.method}",
        "code": call.code.name,
        "duration_ms": round(call.duration * 1000, 1),
        "messages_sent": call.messages_sent,
        "peer": call.peer,
        "pid": os.getpid(),
    }
    if call.run_id:
        fields["run_id"] = call.run_id
    if call.client:
        fields["client"] = call.client
    return fields


class AccessLog:
    """The calls.Observer that writes the line when a call ends."""

    def started(self, call: Call) -> None:
        pass

    def sent(self, call: Call) -> None:
        pass

    def finished(self, call: Call) -> None:
        if log.isEnabledFor(logging.INFO):
            log.info(json.dumps(record(call), separators=(",", ":")))
