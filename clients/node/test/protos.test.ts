// Unit tests: loading protos/ and converting messages (no gateway needed).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as grpc from "@grpc/grpc-js";
import protobuf from "protobufjs";

import { GatewayError, decodeStatusDetails, statusName, toGatewayError } from "../src/errors.js";
import { loadProtos } from "../src/protos.js";

const protos = loadProtos();
const runs = protos.service("RunsService");
const streamRun = runs.methods.get("StreamRun")!;
const waitRun = runs.methods.get("WaitRun")!;

describe("loading", () => {
  test("finds RunsService with StreamRun (server streaming) and WaitRun (unary)", () => {
    assert.equal(runs.fullName, "langgraph_gateway.v1.RunsService");
    assert.equal(streamRun.path, "/langgraph_gateway.v1.RunsService/StreamRun");
    assert.equal(streamRun.responseStream, true);
    assert.equal(waitRun.responseStream, false);
    assert.equal(protos.service("langgraph_gateway.v1.RunsService"), runs);
  });
  test("an unknown service is an error naming the known ones", () => {
    assert.throws(() => protos.service("NopeService"), /RunsService/);
  });
});

describe("requests", () => {
  const decodeRequest = (plain: object): Record<string, unknown> => {
    const type = streamRun.requestType;
    return type.toObject(type.decode(protos.encode(type, plain)), { enums: String }) as Record<string, unknown>;
  };

  test("JSON fields become Value/Struct; snake_case and camelCase keys", () => {
    const decoded = decodeRequest({
      assistantId: "agent",
      input: { messages: [{ role: "user", content: "hi" }] },
      config: { configurable: { x: 1 } },
      stream_mode: ["updates"],
    });
    assert.equal(decoded.assistant_id, "agent");
    assert.deepEqual(decoded.stream_mode, ["updates"]);
    const back = protos.decode(streamRun.requestType, protos.encode(streamRun.requestType, {
      assistant_id: "agent",
      input: { messages: [{ role: "user", content: "hi" }] },
      config: { configurable: { x: 1 } },
    }));
    assert.deepEqual(back.input, { messages: [{ role: "user", content: "hi" }] });
    assert.deepEqual(back.config, { configurable: { x: 1 } });
  });

  test("input: null is JSON null, other nulls and undefined mean unset", () => {
    const back = protos.decode(streamRun.requestType, protos.encode(streamRun.requestType, {
      assistant_id: "a",
      input: null,
      config: null,
      command: undefined,
    }));
    assert.equal(back.input, null);
    assert.equal("config" in back, false);
    assert.equal("command" in back, false);
  });

  test("nested messages convert their JSON fields too (command.resume)", () => {
    const back = protos.decode(streamRun.requestType, protos.encode(streamRun.requestType, {
      assistant_id: "a",
      command: { resume: { answer: [1, 2] } },
    }));
    assert.deepEqual(back.command, { resume: { answer: [1, 2] } });
  });

  test("a single stream mode may be given as a string", () => {
    assert.deepEqual(decodeRequest({ assistant_id: "a", streamMode: "updates" }).stream_mode, ["updates"]);
  });

  test("enums by full name, short name or number", () => {
    assert.equal(decodeRequest({ assistant_id: "a", on_disconnect: "ON_DISCONNECT_CANCEL" }).on_disconnect, "ON_DISCONNECT_CANCEL");
    assert.equal(decodeRequest({ assistant_id: "a", onDisconnect: "cancel" }).on_disconnect, "ON_DISCONNECT_CANCEL");
    assert.equal(decodeRequest({ assistant_id: "a", on_disconnect: 2 }).on_disconnect, "ON_DISCONNECT_CONTINUE");
    assert.throws(() => decodeRequest({ assistant_id: "a", on_disconnect: "sometimes" }), /OnDisconnect/);
  });

  test("unknown fields, a field given twice, and bad JSON are TypeErrors", () => {
    assert.throws(() => decodeRequest({ assistant_id: "a", assistant: "b" }), /no field "assistant"/);
    assert.throws(() => decodeRequest({ assistant_id: "a", assistantId: "b" }), /given twice/);
    assert.throws(() => decodeRequest({ assistant_id: "a", input: { x: NaN } }), /input\.x/);
    assert.throws(() => decodeRequest({ assistant_id: "a", config: [] }), TypeError);
  });
});

describe("responses", () => {
  const type = streamRun.responseType;
  const encodeResponse = (object: Record<string, unknown>): Uint8Array => type.encode(type.fromObject(object)).finish();

  test("an event: data as plain JSON, defaults filled in", () => {
    const bytes = encodeResponse({
      event: "updates",
      data: { structValue: { fields: { post: { structValue: { fields: { count: { numberValue: 1 } } } } } } },
      mode: "updates",
    });
    assert.deepEqual(protos.decode(type, bytes), {
      event: "updates",
      data: { post: { count: 1 } },
      id: "",
      mode: "updates",
      namespace: [],
      events: [],
    });
  });

  test("an event without data has data undefined", () => {
    const decoded = protos.decode(type, encodeResponse({ event: "end" }));
    assert.equal(decoded.data, undefined);
    assert.equal(decoded.event, "end");
  });

  test("JSON null data is null", () => {
    assert.equal(protos.decode(type, encodeResponse({ event: "x", data: { nullValue: 0 } })).data, null);
  });
});

describe("errors", () => {
  const rpc = protobuf.Root.fromJSON({
    nested: {
      Any: { fields: { type_url: { type: "string", id: 1 }, value: { type: "bytes", id: 2 } } },
      Status: {
        fields: {
          code: { type: "int32", id: 1 },
          message: { type: "string", id: 2 },
          details: { rule: "repeated", type: "Any", id: 3 },
        },
      },
      ErrorInfo: {
        fields: {
          reason: { type: "string", id: 1 },
          domain: { type: "string", id: 2 },
          metadata: { keyType: "string", type: "string", id: 3 } as protobuf.IMapField,
        },
      },
    },
  });
  const Status = rpc.lookupType("Status");
  const ErrorInfo = rpc.lookupType("ErrorInfo");

  const trailers = (): grpc.Metadata => {
    const info = ErrorInfo.encode(ErrorInfo.fromObject({ reason: "RUN_FAILED", domain: "langgraph-grpc-gateway", metadata: { error: "ValueError" } })).finish();
    const status = Status.encode(Status.fromObject({
      code: 13,
      message: "run failed",
      details: [{ type_url: "type.googleapis.com/google.rpc.ErrorInfo", value: info }],
    })).finish();
    const md = new grpc.Metadata();
    md.set("grpc-status-details-bin", Buffer.from(status));
    return md;
  };

  test("decodes ErrorInfo from grpc-status-details-bin", () => {
    const decoded = decodeStatusDetails(trailers());
    assert.deepEqual(decoded.errorInfo, { reason: "RUN_FAILED", domain: "langgraph-grpc-gateway", metadata: { error: "ValueError" } });
    assert.equal(decoded.details.length, 1);
  });

  test("no or garbage details", () => {
    assert.deepEqual(decodeStatusDetails(new grpc.Metadata()), { details: [] });
    const md = new grpc.Metadata();
    md.set("grpc-status-details-bin", Buffer.from([0xff, 0xff, 0xff]));
    assert.deepEqual(decodeStatusDetails(md), { details: [] });
  });

  test("a grpc-js ServiceError becomes a GatewayError", () => {
    const error = toGatewayError(Object.assign(new Error("13 INTERNAL: run failed"), { code: 13, details: "run failed", metadata: trailers() }));
    assert.ok(error instanceof GatewayError);
    assert.ok(error instanceof Error);
    assert.equal(error.code, grpc.status.INTERNAL);
    assert.equal(error.codeName, "INTERNAL");
    assert.equal(error.details, "run failed");
    assert.equal(error.reason, "RUN_FAILED");
    assert.equal(error.message, "INTERNAL: run failed");
  });

  test("status names", () => {
    assert.equal(statusName(3), "INVALID_ARGUMENT");
    assert.equal(statusName(99), "CODE_99");
  });
});
