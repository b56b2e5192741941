"""`client.assistants` (AssistantsService): langgraph-sdk's AssistantsClient over gRPC, async and
blocking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from langgraph_grpc_client import _common
from langgraph_grpc_client._build import fill
from langgraph_grpc_client._gen.langgraph_gateway.v1 import assistants_pb2 as A
from langgraph_grpc_client._resources import as_dict
from langgraph_grpc_client._services._base import AsyncService, SyncService
from langgraph_grpc_client.schema import (
    Assistant,
    AssistantsSearchResponse,
    AssistantVersion,
    Config,
    Context,
    GraphSchema,
    OnConflictBehavior,
    SortOrder,
    Subgraphs,
)

ResponseFormat = Literal["array", "object"]


def _graph(assistant_id: str, xray: int | bool) -> A.GetAssistantGraphRequest:
    request = A.GetAssistantGraphRequest(assistant_id=assistant_id)
    if isinstance(xray, bool):
        request.xray = xray
    else:
        request.xray_depth = xray
    return request


def _create(graph_id: str | None, config: Any, **rest: Any) -> A.CreateAssistantRequest:
    # As the sdk: config, context, metadata, ... only when truthy; graph_id always.
    fields = {"config": config, **rest}
    return fill(A.CreateAssistantRequest(), graph_id=graph_id, **{k: v or None for k, v in fields.items()})


def _update(assistant_id: str, config: Any, context: Any, **rest: Any) -> A.UpdateAssistantRequest:
    # As the sdk: config and context whenever given (even {}), the others when truthy.
    request = A.UpdateAssistantRequest(assistant_id=assistant_id)
    return fill(request, config=config, context=context, **{k: v or None for k, v in rest.items()})


def _search(limit: int, offset: int, **rest: Any) -> A.SearchAssistantsRequest:
    return fill(
        A.SearchAssistantsRequest(limit=limit, offset=offset), **{k: v or None for k, v in rest.items()}
    )


def _page(answer: A.SearchAssistantsResponse, response_format: ResponseFormat) -> Any:
    assistants = [cast(Assistant, as_dict(a)) for a in answer.assistants]
    if response_format == "array":
        return assistants
    following = str(answer.next_offset) if answer.HasField("next_offset") else None
    return AssistantsSearchResponse(assistants=assistants, next=following)


def _check_format(response_format: str) -> None:
    if response_format not in ("array", "object"):
        raise ValueError(f"response_format must be 'array' or 'object', got {response_format!r}")


def _subgraphs(answer: A.GetAssistantSubgraphsResponse) -> Subgraphs:
    return {ns: cast(GraphSchema, as_dict(schemas)) for ns, schemas in answer.subgraphs.items()}


def _assistant(answer: Any) -> Assistant:
    return cast(Assistant, as_dict(answer.assistant))


class AssistantsClient(AsyncService):
    """Assistants (configured graphs), as langgraph-sdk's `client.assistants`.

        [agent] = await client.assistants.search(graph_id="agent")
        mine = await client.assistants.create("agent", config={...}, name="mine")

    Every method also takes `timeout` (this call's deadline, seconds); `params` is refused.
    """

    SERVICE = "AssistantsService"

    async def get(
        self,
        assistant_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Assistant:
        """The assistant (GetAssistant)."""
        _common.unsupported(params=params)
        request = A.GetAssistantRequest(assistant_id=assistant_id)
        return _assistant(await self._call("GetAssistant", request, headers, timeout))

    async def get_graph(
        self,
        assistant_id: str,
        *,
        xray: int | bool = False,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, list[dict[str, Any]]]:
        """The graph's nodes and edges (GetAssistantGraph); xray: subgraphs (True, or a depth)."""
        _common.unsupported(params=params)
        answer: A.GetAssistantGraphResponse = await self._call(
            "GetAssistantGraph", _graph(assistant_id, xray), headers, timeout
        )
        return cast(dict[str, list[dict[str, Any]]], as_dict(answer)["graph"])

    async def get_schemas(
        self,
        assistant_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> GraphSchema:
        """The graph's JSON schemas (GetAssistantSchemas)."""
        _common.unsupported(params=params)
        request = A.GetAssistantSchemasRequest(assistant_id=assistant_id)
        return cast(GraphSchema, as_dict(await self._call("GetAssistantSchemas", request, headers, timeout)))

    async def get_subgraphs(
        self,
        assistant_id: str,
        namespace: str | None = None,
        recurse: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Subgraphs:
        """The subgraphs' schemas by namespace (GetAssistantSubgraphs)."""
        _common.unsupported(params=params)
        request = fill(
            A.GetAssistantSubgraphsRequest(assistant_id=assistant_id, recurse=recurse), namespace=namespace
        )
        return _subgraphs(await self._call("GetAssistantSubgraphs", request, headers, timeout))

    async def create(
        self,
        graph_id: str | None,
        config: Config | None = None,
        *,
        context: Context | None = None,
        metadata: Mapping[str, Any] | None = None,
        assistant_id: str | None = None,
        if_exists: OnConflictBehavior | None = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        description: str | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Assistant:
        """A new assistant of the graph (CreateAssistant)."""
        _common.unsupported(params=params)
        request = _create(
            graph_id,
            config,
            context=context,
            metadata=metadata,
            assistant_id=assistant_id,
            if_exists=if_exists,
            name=name,
            description=description,
        )
        return _assistant(await self._call("CreateAssistant", request, headers, timeout))

    async def update(
        self,
        assistant_id: str,
        *,
        graph_id: str | None = None,
        config: Config | None = None,
        context: Context | None = None,
        metadata: Mapping[str, Any] | None = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        description: str | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Assistant:
        """A new version of the assistant, which becomes the latest (UpdateAssistant)."""
        _common.unsupported(params=params)
        request = _update(
            assistant_id,
            config,
            context,
            graph_id=graph_id,
            metadata=metadata,
            name=name,
            description=description,
        )
        return _assistant(await self._call("UpdateAssistant", request, headers, timeout))

    async def delete(
        self,
        assistant_id: str,
        *,
        delete_threads: bool = False,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Delete the assistant, and with delete_threads its threads (DeleteAssistant)."""
        _common.unsupported(params=params)
        request = A.DeleteAssistantRequest(assistant_id=assistant_id, delete_threads=delete_threads)
        await self._call("DeleteAssistant", request, headers, timeout)

    async def search(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        graph_id: str | None = None,
        name: str | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        select: list[str] | None = None,
        response_format: ResponseFormat = "array",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """One page of assistants (SearchAssistants): a list, or with response_format="object"
        {"assistants": [...], "next": the next page's offset or None}."""
        _common.unsupported(params=params)
        _check_format(response_format)
        request = _search(
            limit,
            offset,
            metadata=metadata,
            graph_id=graph_id,
            name=name,
            sort_by=sort_by,
            sort_order=sort_order,
            select=select,
        )
        return _page(await self._call("SearchAssistants", request, headers, timeout), response_format)

    async def count(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        graph_id: str | None = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> int:
        """How many assistants match (CountAssistants)."""
        _common.unsupported(params=params)
        request = fill(A.CountAssistantsRequest(), metadata=metadata or None, graph_id=graph_id, name=name)
        answer: A.CountAssistantsResponse = await self._call("CountAssistants", request, headers, timeout)
        return answer.count

    async def get_versions(
        self,
        assistant_id: str,
        metadata: Mapping[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[AssistantVersion]:
        """The assistant's versions, newest first (ListAssistantVersions)."""
        _common.unsupported(params=params)
        request = A.ListAssistantVersionsRequest(assistant_id=assistant_id, limit=limit, offset=offset)
        fill(request, metadata=metadata or None)
        answer: A.ListAssistantVersionsResponse = await self._call(
            "ListAssistantVersions", request, headers, timeout
        )
        return [cast(AssistantVersion, as_dict(v)) for v in answer.versions]

    async def set_latest(
        self,
        assistant_id: str,
        version: int,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Assistant:
        """Make that version the latest (SetLatestAssistantVersion)."""
        _common.unsupported(params=params)
        request = A.SetLatestAssistantVersionRequest(assistant_id=assistant_id, version=version)
        return _assistant(await self._call("SetLatestAssistantVersion", request, headers, timeout))


class SyncAssistantsClient(SyncService):
    """The blocking twin of AssistantsClient: the same methods and arguments."""

    SERVICE = "AssistantsService"

    def get(
        self,
        assistant_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Assistant:
        """The assistant (GetAssistant)."""
        _common.unsupported(params=params)
        request = A.GetAssistantRequest(assistant_id=assistant_id)
        return _assistant(self._call("GetAssistant", request, headers, timeout))

    def get_graph(
        self,
        assistant_id: str,
        *,
        xray: int | bool = False,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, list[dict[str, Any]]]:
        """The graph's nodes and edges (GetAssistantGraph)."""
        _common.unsupported(params=params)
        answer: A.GetAssistantGraphResponse = self._call(
            "GetAssistantGraph", _graph(assistant_id, xray), headers, timeout
        )
        return cast(dict[str, list[dict[str, Any]]], as_dict(answer)["graph"])

    def get_schemas(
        self,
        assistant_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> GraphSchema:
        """The graph's JSON schemas (GetAssistantSchemas)."""
        _common.unsupported(params=params)
        request = A.GetAssistantSchemasRequest(assistant_id=assistant_id)
        return cast(GraphSchema, as_dict(self._call("GetAssistantSchemas", request, headers, timeout)))

    def get_subgraphs(
        self,
        assistant_id: str,
        namespace: str | None = None,
        recurse: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Subgraphs:
        """The subgraphs' schemas by namespace (GetAssistantSubgraphs)."""
        _common.unsupported(params=params)
        request = fill(
            A.GetAssistantSubgraphsRequest(assistant_id=assistant_id, recurse=recurse), namespace=namespace
        )
        return _subgraphs(self._call("GetAssistantSubgraphs", request, headers, timeout))

    def create(
        self,
        graph_id: str | None,
        config: Config | None = None,
        *,
        context: Context | None = None,
        metadata: Mapping[str, Any] | None = None,
        assistant_id: str | None = None,
        if_exists: OnConflictBehavior | None = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        description: str | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Assistant:
        """A new assistant of the graph (CreateAssistant)."""
        _common.unsupported(params=params)
        request = _create(
            graph_id,
            config,
            context=context,
            metadata=metadata,
            assistant_id=assistant_id,
            if_exists=if_exists,
            name=name,
            description=description,
        )
        return _assistant(self._call("CreateAssistant", request, headers, timeout))

    def update(
        self,
        assistant_id: str,
        *,
        graph_id: str | None = None,
        config: Config | None = None,
        context: Context | None = None,
        metadata: Mapping[str, Any] | None = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        description: str | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Assistant:
        """A new version of the assistant (UpdateAssistant)."""
        _common.unsupported(params=params)
        request = _update(
            assistant_id,
            config,
            context,
            graph_id=graph_id,
            metadata=metadata,
            name=name,
            description=description,
        )
        return _assistant(self._call("UpdateAssistant", request, headers, timeout))

    def delete(
        self,
        assistant_id: str,
        *,
        delete_threads: bool = False,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Delete the assistant (DeleteAssistant)."""
        _common.unsupported(params=params)
        request = A.DeleteAssistantRequest(assistant_id=assistant_id, delete_threads=delete_threads)
        self._call("DeleteAssistant", request, headers, timeout)

    def search(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        graph_id: str | None = None,
        name: str | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        select: list[str] | None = None,
        response_format: ResponseFormat = "array",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """One page of assistants (SearchAssistants)."""
        _common.unsupported(params=params)
        _check_format(response_format)
        request = _search(
            limit,
            offset,
            metadata=metadata,
            graph_id=graph_id,
            name=name,
            sort_by=sort_by,
            sort_order=sort_order,
            select=select,
        )
        return _page(self._call("SearchAssistants", request, headers, timeout), response_format)

    def count(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        graph_id: str | None = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> int:
        """How many assistants match (CountAssistants)."""
        _common.unsupported(params=params)
        request = fill(A.CountAssistantsRequest(), metadata=metadata or None, graph_id=graph_id, name=name)
        answer: A.CountAssistantsResponse = self._call("CountAssistants", request, headers, timeout)
        return answer.count

    def get_versions(
        self,
        assistant_id: str,
        metadata: Mapping[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[AssistantVersion]:
        """The assistant's versions, newest first (ListAssistantVersions)."""
        _common.unsupported(params=params)
        request = A.ListAssistantVersionsRequest(assistant_id=assistant_id, limit=limit, offset=offset)
        fill(request, metadata=metadata or None)
        answer: A.ListAssistantVersionsResponse = self._call(
            "ListAssistantVersions", request, headers, timeout
        )
        return [cast(AssistantVersion, as_dict(v)) for v in answer.versions]

    def set_latest(
        self,
        assistant_id: str,
        version: int,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Assistant:
        """Make that version the latest (SetLatestAssistantVersion)."""
        _common.unsupported(params=params)
        request = A.SetLatestAssistantVersionRequest(assistant_id=assistant_id, version=version)
        return _assistant(self._call("SetLatestAssistantVersion", request, headers, timeout))
