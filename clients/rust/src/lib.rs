//! A small client for [langgraph-grpc-gateway](../../README.md): LangGraph runs over gRPC.
//!
//! ```no_run
//! use langgraph_gateway::{GatewayClient, RunRequest};
//! use serde_json::json;
//! use tokio_stream::StreamExt;
//!
//! # async fn demo() -> Result<(), langgraph_gateway::Error> {
//! let client = GatewayClient::connect("127.0.0.1:50051").await?;
//! let input = json!({"messages": [{"role": "user", "content": "hi"}]});
//! let request = RunRequest::new("agent").input(input.clone()).stream_mode(["updates"]);
//! let mut stream = client.runs().stream(request).await?;
//! while let Some(event) = stream.next().await {
//!     let event = event?;
//!     println!("{} {:?}", event.event, event.data);
//! }
//! let result = client.runs().wait(RunRequest::new("agent").input(input)).await?;
//! println!("{:?}", result.values);
//! # Ok(()) }
//! ```
//!
//! The generated protobuf code for every proto of the gateway (all services, all messages) is in
//! [`proto`]; [`pb`] is its `langgraph_gateway.v1` package. A service this crate has no wrapper
//! for is used with its generated client on [`GatewayClient::channel`].

mod client;
mod error;
pub mod json;
mod request;

/// Code generated at build time from every `.proto` file under `protos/`, one module per
/// protobuf package (e.g. `proto::langgraph_gateway::v1`).
#[allow(clippy::all, missing_docs)]
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/protos.rs"));
}

/// The `langgraph_gateway.v1` package: request/response messages, enums and generated clients.
pub use proto::langgraph_gateway::v1 as pb;

pub use client::{
    GatewayClient, RUN_ID_HEADER, RunEvent, RunResult, RunStream, RunsClient, THREAD_ID_HEADER,
};
pub use error::Error;
pub use request::{IntoRunRequest, RunRequest};
pub use tonic::Code;
pub use tonic_types::ErrorInfo;
