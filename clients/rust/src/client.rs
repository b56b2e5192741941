use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde_json::Value as Json;
use tonic::metadata::MetadataMap;
use tonic::transport::{Channel, Endpoint};

use crate::json::to_json;
use crate::pb::assistants_service_client::AssistantsServiceClient;
use crate::pb::crons_service_client::CronsServiceClient;
use crate::pb::runs_service_client::RunsServiceClient;
use crate::pb::store_service_client::StoreServiceClient;
use crate::pb::threads_service_client::ThreadsServiceClient;
use crate::request::IntoRunRequest;
use crate::{Error, pb};

/// Initial metadata key carrying the run's id.
pub const RUN_ID_HEADER: &str = "x-langgraph-run-id";
/// Initial metadata key carrying the run's thread id (when the server names it).
pub const THREAD_ID_HEADER: &str = "x-langgraph-thread-id";

/// A connection to a langgraph-grpc-gateway. Cheap to clone; clones share the HTTP/2 connection.
#[derive(Debug, Clone)]
pub struct GatewayClient {
    channel: Channel,
}

impl GatewayClient {
    /// Connects (plaintext) to `host:port`, or to a full URI such as `http://host:port`.
    pub async fn connect(address: impl AsRef<str>) -> Result<Self, Error> {
        let channel = endpoint(address.as_ref())?.connect().await?;
        Ok(Self::from_channel(channel))
    }

    /// Like [`connect`](Self::connect), but connects at the first call.
    pub fn connect_lazy(address: impl AsRef<str>) -> Result<Self, Error> {
        Ok(Self::from_channel(endpoint(address.as_ref())?.connect_lazy()))
    }

    /// Uses a channel configured by you (TLS, timeouts, interceptors via `tower`, ...).
    pub fn from_channel(channel: Channel) -> Self {
        GatewayClient { channel }
    }

    /// The underlying channel, for the generated clients of services without a wrapper here,
    /// e.g. `pb::threads_service_client::ThreadsServiceClient::new(client.channel())`.
    pub fn channel(&self) -> Channel {
        self.channel.clone()
    }

    /// The runs API (`langgraph_gateway.v1.RunsService`).
    pub fn runs(&self) -> RunsClient {
        RunsClient { inner: RunsServiceClient::new(self.channel.clone()) }
    }

    /// The generated `StoreService` client on this connection (the store: long-term memory
    /// shared across threads). Its `tonic::Status` errors convert into [`Error`] with `?`.
    pub fn store(&self) -> StoreServiceClient<Channel> {
        StoreServiceClient::new(self.channel.clone())
    }

    /// The generated `ThreadsService` client on this connection (threads, state, history).
    pub fn threads(&self) -> ThreadsServiceClient<Channel> {
        ThreadsServiceClient::new(self.channel.clone())
    }

    /// The generated `AssistantsService` client on this connection.
    pub fn assistants(&self) -> AssistantsServiceClient<Channel> {
        AssistantsServiceClient::new(self.channel.clone())
    }

    /// The generated `CronsService` client on this connection (runs on a schedule).
    pub fn crons(&self) -> CronsServiceClient<Channel> {
        CronsServiceClient::new(self.channel.clone())
    }
}

fn endpoint(address: &str) -> Result<Endpoint, Error> {
    let uri = if address.contains("://") { address.to_owned() } else { format!("http://{address}") };
    Ok(Endpoint::from_shared(uri)?)
}

/// `RunsService`: create runs and stream or wait for their output.
#[derive(Debug, Clone)]
pub struct RunsClient {
    inner: RunsServiceClient<Channel>,
}

impl RunsClient {
    /// `StreamRun`: creates a run and streams its events, one per Server-Sent Event, in order.
    ///
    /// An error the gateway reports before the run starts (unknown assistant, bad request,
    /// upstream down) is returned here; a run that fails yields its `error` event, then an
    /// [`Error`] with code `INTERNAL` as the stream's last item.
    pub async fn stream(
        &self,
        request: impl IntoRunRequest<pb::StreamRunRequest>,
    ) -> Result<RunStream, Error> {
        let request = request.into_run_request()?;
        let response = self.inner.clone().stream_run(request).await?;
        let (metadata, inner, _) = response.into_parts();
        Ok(RunStream {
            run_id: header(&metadata, RUN_ID_HEADER),
            thread_id: header(&metadata, THREAD_ID_HEADER),
            metadata,
            inner,
        })
    }

    /// `WaitRun`: creates a run, waits for it to finish and returns its final state.
    ///
    /// As with `POST /runs/wait`, leave `stream_mode` unset (the server's default, `"values"`)
    /// to get the graph's final values: with `["updates"]` the server answers `{}`.
    pub async fn wait(&self, request: impl IntoRunRequest<pb::WaitRunRequest>) -> Result<RunResult, Error> {
        let request = request.into_run_request()?;
        let response = self.inner.clone().wait_run(request).await?.into_inner();
        Ok(RunResult {
            values: response.values.as_ref().map(to_json),
            run_id: response.run_id,
            thread_id: response.thread_id,
        })
    }

    /// The generated client, for calls with options this wrapper does not cover.
    pub fn raw(&self) -> RunsServiceClient<Channel> {
        self.inner.clone()
    }
}

fn header(metadata: &MetadataMap, key: &str) -> Option<String> {
    metadata.get(key).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// One event of a run's stream.
#[derive(Debug, Clone, PartialEq)]
pub struct RunEvent {
    /// The event name as the server sent it: `metadata`, `updates`, `updates|inner:<task>`, `error`, ...
    pub event: String,
    /// The event's JSON payload; `None` when the event had none.
    pub data: Option<Json>,
    /// The SSE id; empty unless the run is `stream_resumable`.
    pub id: String,
    /// The stream mode: the event name before any `|`.
    pub mode: String,
    /// The subgraph namespace: the `|`-separated parts after the mode.
    pub namespace: Vec<String>,
}

impl From<pb::StreamRunResponse> for RunEvent {
    fn from(message: pb::StreamRunResponse) -> Self {
        RunEvent {
            event: message.event,
            data: message.data.as_ref().map(to_json),
            id: message.id,
            mode: message.mode,
            namespace: message.namespace,
        }
    }
}

/// The events of a run: a `Stream` of `Result<RunEvent, Error>`, plus the ids the gateway sent
/// as initial metadata before the first event.
#[derive(Debug)]
pub struct RunStream {
    run_id: Option<String>,
    thread_id: Option<String>,
    metadata: MetadataMap,
    inner: tonic::Streaming<pb::StreamRunResponse>,
}

impl RunStream {
    /// The run's id (initial metadata `x-langgraph-run-id`).
    pub fn run_id(&self) -> Option<&str> {
        self.run_id.as_deref()
    }

    /// The run's thread id (initial metadata `x-langgraph-thread-id`), when the server named it.
    pub fn thread_id(&self) -> Option<&str> {
        self.thread_id.as_deref()
    }

    /// All initial metadata of the call.
    pub fn metadata(&self) -> &MetadataMap {
        &self.metadata
    }
}

impl Stream for RunStream {
    type Item = Result<RunEvent, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inner)
            .poll_next(cx)
            .map(|item| item.map(|result| result.map(RunEvent::from).map_err(Error::from)))
    }
}

/// The answer of `WaitRun`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// The run's final state as the server answered it (`__interrupt__` included).
    pub values: Option<Json>,
    /// The run's id.
    pub run_id: String,
    /// The run's thread (a temporary one for a stateless run).
    pub thread_id: String,
}
