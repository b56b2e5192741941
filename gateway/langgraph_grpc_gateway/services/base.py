"""What every servicer shares: the upstream, the settings, and the per-call header rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc

from .. import headers, translate
from ..config import Settings
from ..jsonvalue import JSON
from ..upstream import Headers, Params, Upstream

Context = grpc.aio.ServicerContext[Any, Any]


class Servicer:
    def __init__(self, upstream: Upstream, settings: Settings) -> None:
        self.upstream = upstream
        self.settings = settings

    def headers(self, context: Context) -> dict[str, str]:
        return headers.upstream_headers(
            context.invocation_metadata(),
            forwarded=self.settings.forward_metadata,
            api_key=self.settings.upstream_api_key,
        )

    async def call(
        self,
        context: Context,
        method: str,
        path: str,
        *,
        body: JSON | None = None,
        params: Params | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> tuple[JSON, Headers]:
        """One JSON request/answer exchange; the answer parsed (None when empty). `extra_headers`
        are the gateway's own (e.g. Prefer), on top of those the caller's metadata gives."""
        content = None if body is None else translate.encode_body(body)
        request_headers = {**self.headers(context), **(extra_headers or {})}
        raw, answer_headers = await self.upstream.fetch(
            method, path, request_headers, body=content, params=params
        )
        return (translate.parse_json(raw, f"{method} {path}") if raw.strip() else None), answer_headers


def next_offset(answer_headers: Headers) -> int | None:
    """The next page's offset from X-Pagination-Next, None on the last page."""
    value = answer_headers.get("x-pagination-next")
    return int(value) if value and value.isdigit() else None
