// Against a live gateway (in front of the real LangGraph API server with tests/upstream/graph.py):
// LANGGRAPH_GATEWAY_ADDRESS=host:port. Without it these tests fail: they are the point of test.sh.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { GatewayError, LangGraphGatewayClient, status, type JsonObject, type StreamEvent } from "../src/index.js";

const address = process.env.LANGGRAPH_GATEWAY_ADDRESS;
const hi = { messages: [{ role: "user", content: "hi" }] };
const TIMEOUT_MS = 60_000;

test("LANGGRAPH_GATEWAY_ADDRESS is set", () => {
  assert.ok(address, "LANGGRAPH_GATEWAY_ADDRESS (host:port of a running gateway) is not set");
});

describe("live gateway", { timeout: 5 * TIMEOUT_MS }, () => {
  let client: LangGraphGatewayClient;

  before(async () => {
    assert.ok(address, "LANGGRAPH_GATEWAY_ADDRESS (host:port of a running gateway) is not set");
    client = new LangGraphGatewayClient(address);
    await client.waitForReady(20_000);
  });

  after(() => client?.close());

  test("StreamRun: metadata then two updates, data as plain objects, run id in initial metadata", async () => {
    const stream = client.runs.stream({ assistantId: "agent", input: hi, stream_mode: ["updates"] }, { timeoutMs: TIMEOUT_MS });
    const events: StreamEvent[] = [];
    let runIdAtFirstEvent: string | undefined;
    for await (const event of stream) {
      runIdAtFirstEvent ??= stream.runId;
      events.push(event);
    }
    assert.deepEqual(
      events.map((e) => e.event),
      ["metadata", "updates", "updates"],
    );
    const [metadata, echo, post] = events as [StreamEvent, StreamEvent, StreamEvent];
    const echoData = echo.data as { echo: { messages: JsonObject[] } };
    assert.equal(echoData.echo.messages[0]!.content, "echo: hi");
    assert.deepEqual(post.data, { post: { count: 1 } });
    assert.equal(echo.mode, "updates");
    assert.deepEqual(echo.namespace, []);

    const runId = (metadata.data as JsonObject).run_id;
    assert.equal(typeof runId, "string");
    assert.equal(runIdAtFirstEvent, runId);
    assert.equal((await stream.headers()).get("x-langgraph-run-id")[0], runId);
  });

  test("WaitRun: the final state as plain values", async () => {
    const values = (await client.runs.wait({ assistant_id: "agent", input: hi }, { timeoutMs: TIMEOUT_MS })) as JsonObject;
    assert.equal(values.count, 1);
    const messages = values.messages as JsonObject[];
    assert.equal(messages.at(-1)!.content, "echo: hi");

    const response = await client.runs.waitResponse({ assistant_id: "agent", input: hi }, { timeoutMs: TIMEOUT_MS });
    assert.equal((response.values as JsonObject).count, 1);
    assert.match(response.run_id, /^[0-9a-f-]{36}$/);
  });

  test("a failing run: the error event, then GatewayError INTERNAL with ErrorInfo RUN_FAILED", async () => {
    const seen: string[] = [];
    const failing = { messages: [{ role: "user", content: "FAIL x" }] };
    await assert.rejects(
      async () => {
        for await (const event of client.runs.stream({ assistant_id: "agent", input: failing, stream_mode: ["updates"] }, { timeoutMs: TIMEOUT_MS })) {
          seen.push(event.event);
        }
      },
      (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assert.equal(error.code, status.INTERNAL);
        assert.equal(error.codeName, "INTERNAL");
        assert.equal(error.errorInfo?.reason, "RUN_FAILED");
        assert.equal(error.errorInfo?.domain, "langgraph-grpc-gateway");
        return true;
      },
    );
    assert.equal(seen[0], "metadata");
    assert.equal(seen.at(-1), "error");
  });

  test("an unknown assistant: INVALID_ARGUMENT, from both calls", async () => {
    await assert.rejects(client.runs.wait({ assistant_id: "nope", input: hi }, { timeoutMs: TIMEOUT_MS }), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, status.INVALID_ARGUMENT);
      assert.equal(error.errorInfo?.metadata.http_status, "422");
      return true;
    });
    await assert.rejects(client.runs.stream({ assistant_id: "nope", input: hi }).toArray(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, status.INVALID_ARGUMENT);
      return true;
    });
  });

  test("breaking out of a stream cancels the call", async () => {
    const stream = client.runs.stream({ assistant_id: "agent", input: hi, stream_mode: ["updates"] }, { timeoutMs: TIMEOUT_MS });
    for await (const event of stream) {
      assert.equal(event.event, "metadata");
      break;
    }
    assert.throws(() => stream[Symbol.asyncIterator]().next(), /only once/);
  });
});
