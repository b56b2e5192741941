//! Streams a run of the test graph's "agent" (stream mode "updates"), printing each event and its
//! data as JSON, then runs it again with WaitRun and prints the final values.
//!
//!     cargo run --example stream -- 127.0.0.1:50051
//!
//! Without an argument the address is $LANGGRAPH_GATEWAY_ADDRESS, else 127.0.0.1:50051.

use langgraph_gateway::{GatewayClient, RunRequest};
use serde_json::json;
use tokio_stream::StreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let address = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("LANGGRAPH_GATEWAY_ADDRESS").ok())
        .unwrap_or_else(|| "127.0.0.1:50051".to_owned());
    let client = GatewayClient::connect(&address).await?;

    let input = json!({"messages": [{"role": "user", "content": "hi"}]});

    let request = RunRequest::new("agent").input(input.clone()).stream_mode(["updates"]);
    let mut stream = client.runs().stream(request).await?;
    println!("run_id: {}", stream.run_id().unwrap_or("?"));
    while let Some(event) = stream.next().await {
        let event = event?;
        let data = event.data.map_or_else(|| "null".to_owned(), |d| d.to_string());
        println!("{}: {}", event.event, data);
    }

    // No stream_mode here: /runs/wait answers the final state of the "values" mode.
    let result = client.runs().wait(RunRequest::new("agent").input(input)).await?;
    println!("wait run_id: {}", result.run_id);
    println!("values: {}", serde_json::to_string_pretty(&result.values)?);
    Ok(())
}
