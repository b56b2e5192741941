// Unit tests: CallStream over a fake grpc-js server stream that behaves like grpc-js does
// (messages pushed, then push(null), then "error" for a non-OK status, then "status").
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, test } from "node:test";

import * as grpc from "@grpc/grpc-js";

import { CallStream, GatewayError } from "../src/index.js";

class FakeCall extends Readable {
  cancelled = false;
  constructor() {
    super({ objectMode: true, read() {} });
  }
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.finish(grpc.status.CANCELLED, "Cancelled on client");
  }
  headers(runId: string): void {
    const md = new grpc.Metadata();
    md.set("x-langgraph-run-id", runId);
    this.emit("metadata", md);
  }
  finish(code: grpc.status, details = ""): void {
    this.push(null);
    if (code !== grpc.status.OK) {
      this.emit("error", Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new grpc.Metadata() }));
    }
    this.emit("status", { code, details, metadata: new grpc.Metadata() });
  }
}

function open(): { call: FakeCall; stream: CallStream<number> } {
  const call = new FakeCall();
  return { call, stream: new CallStream<number>(call as unknown as grpc.ClientReadableStream<number>) };
}

describe("CallStream", () => {
  test("every message (past the high-water mark), then the end", async () => {
    const { call, stream } = open();
    call.headers("run-1");
    for (let i = 0; i < 500; i++) call.push(i);
    call.finish(grpc.status.OK);
    const seen = await stream.toArray();
    assert.deepEqual(seen, Array.from({ length: 500 }, (_, i) => i));
    assert.equal(stream.runId, "run-1");
    assert.equal(stream.threadId, undefined);
  });

  test("a non-OK status is thrown after the messages that came before it", async () => {
    const { call, stream } = open();
    const seen: number[] = [];
    setTimeout(() => {
      call.push(1);
      call.push(2);
      call.finish(grpc.status.INTERNAL, "run failed");
    }, 10);
    await assert.rejects(
      async () => {
        for await (const m of stream) seen.push(m);
      },
      (e: unknown) => e instanceof GatewayError && e.code === grpc.status.INTERNAL && e.details === "run failed",
    );
    assert.deepEqual(seen, [1, 2]);
  });

  test("an error while paused (backpressure) still comes after every buffered message", async () => {
    const { call, stream } = open();
    for (let i = 0; i < 300; i++) call.push(i);
    await new Promise((r) => setTimeout(r, 10));
    call.finish(grpc.status.UNAVAILABLE, "upstream lost");
    const seen: number[] = [];
    await assert.rejects(
      async () => {
        for await (const m of stream) seen.push(m);
      },
      (e: unknown) => e instanceof GatewayError && e.code === grpc.status.UNAVAILABLE,
    );
    assert.equal(seen.length, 300);
  });

  test("an error before anyone iterates is kept, not lost or thrown at the process", async () => {
    const { call, stream } = open();
    call.finish(grpc.status.INVALID_ARGUMENT, "bad");
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(stream.toArray(), (e: unknown) => e instanceof GatewayError && e.codeName === "INVALID_ARGUMENT");
    assert.equal((await stream.headers()).get("x-langgraph-run-id").length, 0);
  });

  test("leaving the loop early cancels the call; a second iteration is refused", async () => {
    const { call, stream } = open();
    call.push(1);
    call.push(2);
    for await (const m of stream) {
      assert.equal(m, 1);
      break;
    }
    assert.equal(call.cancelled, true);
    assert.throws(() => stream[Symbol.asyncIterator](), /only once/);
  });
});
