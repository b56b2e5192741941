// The gateway from a browser, over gRPC-Web (through Envoy's grpc_web filter: deploy/envoy/).
// The service descriptors and messages are generated from protos/ by protoc-gen-es (src/gen/,
// `bash setup.sh`); @connectrpc/connect-web's gRPC-Web transport makes the calls.
//
//   const gateway = gatewayClient("http://localhost:8080");
//   for await (const { event, data } of streamRun(gateway, { assistantId: "agent", input, streamMode: ["updates"] }))
//     console.log(event, data);

import { create, fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";

import { AssistantsService } from "./gen/langgraph_gateway/v1/assistants_pb.js";
import type { Assistant } from "./gen/langgraph_gateway/v1/resources_pb.js";
import { RunsService, StreamRunRequestSchema } from "./gen/langgraph_gateway/v1/runs_pb.js";

export type { Assistant };

export interface GatewayClient {
  assistants: Client<typeof AssistantsService>;
  runs: Client<typeof RunsService>;
}

/** Clients of the gateway's services at `baseUrl`, the Envoy listener (gRPC-Web, binary). */
export function gatewayClient(baseUrl: string): GatewayClient {
  const transport = createGrpcWebTransport({ baseUrl });
  return { assistants: createClient(AssistantsService, transport), runs: createClient(RunsService, transport) };
}

export interface RunRequest {
  assistantId: string;
  input: JsonValue;
  streamMode: string[];
}

export interface RunEvent {
  event: string;
  /** The event's JSON payload; undefined when it had none. */
  data: JsonValue | undefined;
}

/** StreamRun: each event of the run as it arrives; `onRunId` hears the run's id first. */
export async function* streamRun(
  client: GatewayClient,
  request: RunRequest,
  options: { onRunId?: (runId: string) => void; signal?: AbortSignal } = {},
): AsyncGenerator<RunEvent> {
  const message = create(StreamRunRequestSchema, {
    assistantId: request.assistantId,
    input: fromJson(ValueSchema, request.input),
    streamMode: request.streamMode,
  });
  const onHeader = (headers: Headers) => {
    const runId = headers.get("x-langgraph-run-id");
    if (runId) options.onRunId?.(runId);
  };
  for await (const response of client.runs.streamRun(message, { onHeader, signal: options.signal })) {
    yield { event: response.event, data: response.data ? toJson(ValueSchema, response.data) : undefined };
  }
}

/** An error as a person reads it: "INTERNAL: boom (RUN_FAILED)", with the gateway's reason
 * (the google.rpc.ErrorInfo of the status details) when it sent one. */
export function describeError(error: unknown): string {
  const connect = ConnectError.from(error);
  const reason = errorReason(connect);
  const code = Code[connect.code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  return `${code}: ${connect.rawMessage}${reason ? ` (${reason})` : ""}`;
}

/** The reason of the status details' google.rpc.ErrorInfo (field 1: `string reason`). Read off
 * the wire by hand: ErrorInfo is not among protos/ (it is googleapis'), and only its reason is shown. */
function errorReason(error: ConnectError): string | undefined {
  for (const detail of error.details) {
    if (!("type" in detail) || detail.type !== "google.rpc.ErrorInfo") continue;
    const reader = new BinaryReader(detail.value);
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === 1) return reader.string();
      reader.skip(wireType);
    }
  }
  return undefined;
}
