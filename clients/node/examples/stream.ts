// Streams a run of the "agent" graph through the gateway, printing each chunk, then waits for a
// second run and prints its final values.
//   node dist/examples/stream.js 127.0.0.1:50051
import { GatewayError, LangGraphGatewayClient } from "../src/index.js";

const address = process.argv[2] ?? process.env.LANGGRAPH_GATEWAY_ADDRESS ?? "127.0.0.1:50051";
const client = new LangGraphGatewayClient(address);
const input = { messages: [{ role: "user", content: process.argv[3] ?? "hi" }] };

try {
  const stream = client.runs.stream({ assistantId: "agent", input, streamMode: ["updates"] }, { timeoutMs: 60_000 });
  for await (const chunk of stream) {
    console.log(`${chunk.event} ${JSON.stringify(chunk.data)}`);
  }
  console.log(`run id (initial metadata x-langgraph-run-id): ${stream.runId}`);

  const values = await client.runs.wait({ assistantId: "agent", input }, { timeoutMs: 60_000 });
  console.log(`values ${JSON.stringify(values)}`);
} catch (error) {
  if (!(error instanceof GatewayError)) throw error;
  console.error(`gRPC error ${error.codeName} (${error.code}): ${error.details}`);
  if (error.errorInfo) console.error(`  reason ${error.errorInfo.reason} ${JSON.stringify(error.errorInfo.metadata)}`);
  process.exitCode = 1;
} finally {
  client.close();
}
