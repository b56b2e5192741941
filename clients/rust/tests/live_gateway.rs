//! Against a live gateway: LANGGRAPH_GATEWAY_ADDRESS=host:port cargo test
//! (the gateway in front of a LangGraph API server running tests/upstream/graph.py).

use langgraph_gateway::{Code, Error, GatewayClient, RunEvent, RunRequest, RunStream};
use serde_json::json;
use tokio_stream::StreamExt;

async fn client() -> GatewayClient {
    let address = std::env::var("LANGGRAPH_GATEWAY_ADDRESS")
        .expect("LANGGRAPH_GATEWAY_ADDRESS must be set to the gateway's host:port");
    GatewayClient::connect(&address).await.unwrap_or_else(|err| panic!("connect to {address}: {err}"))
}

fn run(text: &str) -> RunRequest {
    RunRequest::new("agent").input(json!({"messages": [{"role": "user", "content": text}]}))
}

/// Every event of the stream, and the error that ended it, if any.
async fn drain(mut stream: RunStream) -> (Vec<RunEvent>, Option<Error>) {
    let mut events = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(err) => {
                assert!(stream.next().await.is_none(), "an error ends the stream");
                return (events, Some(err));
            }
        }
    }
    (events, None)
}

fn names(events: &[RunEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event.as_str()).collect()
}

#[tokio::test]
async fn stream_run_updates() {
    let stream = client().await.runs().stream(run("hi").stream_mode(["updates"])).await.unwrap();
    let run_id = stream.run_id().expect("x-langgraph-run-id in the initial metadata").to_owned();
    let (events, error) = drain(stream).await;
    assert!(error.is_none(), "unexpected error: {error:?}");
    assert_eq!(names(&events), ["metadata", "updates", "updates"]);

    let metadata = events[0].data.as_ref().expect("metadata data");
    assert_eq!(metadata["run_id"], json!(run_id));

    let echo = events[1].data.as_ref().expect("updates data");
    assert_eq!(echo["echo"]["messages"][0]["content"], json!("echo: hi"));
    assert_eq!(events[1].mode, "updates");
    assert!(events[1].namespace.is_empty());
    assert_eq!(events[2].data, Some(json!({"post": {"count": 1}})));
}

#[tokio::test]
async fn wait_run_values() {
    let result = client().await.runs().wait(run("hi")).await.unwrap();
    let values = result.values.expect("values");
    assert_eq!(values["count"], json!(1));
    assert_eq!(values["messages"][1]["content"], json!("echo: hi"));
    assert!(!result.run_id.is_empty());
}

#[tokio::test]
async fn failing_run_streams_error_then_internal() {
    let stream = client().await.runs().stream(run("FAIL x").stream_mode(["updates"])).await.unwrap();
    let (events, error) = drain(stream).await;
    assert_eq!(names(&events), ["metadata", "error"]);
    let error = error.expect("the stream ends with an error");
    assert_eq!(error.code(), Some(Code::Internal), "{error}");
    let info = error.error_info().expect("google.rpc.ErrorInfo in the status details");
    assert_eq!(info.reason, "RUN_FAILED");
    assert_eq!(info.domain, "langgraph-grpc-gateway");
}

#[tokio::test]
async fn failing_run_wait_is_internal() {
    let error = client().await.runs().wait(run("FAIL x")).await.unwrap_err();
    assert_eq!(error.code(), Some(Code::Internal), "{error}");
}

#[tokio::test]
async fn unknown_assistant_is_invalid_argument() {
    let client = client().await;
    let request = RunRequest::new("nope").input(json!({})).stream_mode(["updates"]);

    // The gateway refuses before any message; accept the status on the call or as the first item.
    let error = match client.runs().stream(&request).await {
        Err(err) => err,
        Ok(stream) => {
            let (events, error) = drain(stream).await;
            assert!(events.is_empty(), "no events for an unknown assistant: {events:?}");
            error.expect("an error")
        }
    };
    assert_eq!(error.code(), Some(Code::InvalidArgument), "{error}");
    assert!(error.error_info().is_some());

    let error = client.runs().wait(&request).await.unwrap_err();
    assert_eq!(error.code(), Some(Code::InvalidArgument), "{error}");
}
