"""Fixtures for the live tests: the gateway at $LANGGRAPH_GATEWAY_ADDRESS (required: the tests
fail without it), and langgraph-sdk on the same LangGraph server at $LANGGRAPH_UPSTREAM_URL (the
reference for comparisons; those tests are skipped when it is unset)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from langgraph_sdk import get_client as sdk_get_client
from langgraph_sdk.client import LangGraphClient as SdkClient

from langgraph_grpc_client import LangGraphClient, SyncLangGraphClient, get_client, get_sync_client


@pytest.fixture(scope="session")
def address() -> str:
    value = os.environ.get("LANGGRAPH_GATEWAY_ADDRESS")
    if not value:
        pytest.fail("LANGGRAPH_GATEWAY_ADDRESS (host:port of a live gateway) is not set", pytrace=False)
    return value


@pytest.fixture(scope="session")
def upstream_url() -> str:
    value = os.environ.get("LANGGRAPH_UPSTREAM_URL")
    if not value:
        pytest.skip("LANGGRAPH_UPSTREAM_URL is not set: no langgraph-sdk reference to compare with")
    return value.rstrip("/")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def client(address: str) -> AsyncIterator[LangGraphClient]:
    async with get_client(address, api_key=None) as c:
        yield c


@pytest.fixture(scope="session")
def sync_client(address: str) -> Iterator[SyncLangGraphClient]:
    with get_sync_client(address, api_key=None) as c:
        yield c


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def sdk(upstream_url: str) -> AsyncIterator[SdkClient]:
    c = sdk_get_client(url=upstream_url, api_key=None)
    yield c
    await c.aclose()
