// The client: one gRPC channel, every service of the loaded protos, plain JavaScript in and out.
import * as grpc from "@grpc/grpc-js";

import { GatewayError, toGatewayError } from "./errors.js";
import { loadProtos, type MethodInfo, type Protos, type ServiceInfo } from "./protos.js";
import type { JsonObject, JsonValue } from "./value.js";

/** A decoded message: proto field names (snake_case) -> plain values; Value/Struct fields as JSON. */
export type PlainMessage = Record<string, unknown>;

/** Request metadata: a grpc.Metadata, or an object of header name -> value(s). */
export type MetadataInit = grpc.Metadata | Record<string, string | string[]>;

/** Per-call options. */
export interface CallOptions {
  /** Extra request metadata (authorization, x-api-key, traceparent, ...). */
  metadata?: MetadataInit;
  /** Absolute deadline (a Date or epoch milliseconds). */
  deadline?: Date | number;
  /** Relative deadline in milliseconds (ignored when `deadline` is given). */
  timeoutMs?: number;
  /** Cancels the call when aborted (the call then fails with CANCELLED). */
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** Channel credentials; plaintext (`grpc.credentials.createInsecure()`) by default. */
  credentials?: grpc.ChannelCredentials;
  /** grpc-js channel options, e.g. { "grpc.max_receive_message_length": -1 }. */
  channelOptions?: grpc.ChannelOptions;
  /** Metadata sent with every call (per-call metadata is added to it). */
  metadata?: MetadataInit;
  /** Where the .proto files are; the repository's protos/ by default. */
  protoDir?: string;
}

function toMetadata(...inits: (MetadataInit | undefined)[]): grpc.Metadata {
  const md = new grpc.Metadata();
  for (const init of inits) {
    if (!init) continue;
    if (init instanceof grpc.Metadata) {
      md.merge(init);
      continue;
    }
    for (const [key, value] of Object.entries(init)) {
      for (const item of Array.isArray(value) ? value : [value]) md.add(key, item);
    }
  }
  return md;
}

function grpcCallOptions(options: CallOptions): grpc.CallOptions {
  if (options.deadline !== undefined) return { deadline: options.deadline };
  if (options.timeoutMs !== undefined) return { deadline: Date.now() + options.timeoutMs };
  return {};
}

function cancelledBySignal(): GatewayError {
  return new GatewayError(grpc.status.CANCELLED, "Cancelled by AbortSignal");
}

const HIGH_WATER = 64;
const LOW_WATER = 8;

/**
 * A server-streaming call: an async iterable of decoded messages (iterate it once). The call
 * starts at once; a non-OK status is thrown from the iteration as a GatewayError, after every
 * message that arrived before it. Leaving the loop early (break, throw) cancels the call.
 */
export class CallStream<T = PlainMessage> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private error: GatewayError | undefined;
  private statusSeen = false;
  private endSeen = false;
  private paused = false;
  private iterated = false;
  private wake: (() => void) | undefined;
  private initial: grpc.Metadata | undefined;
  private readonly initialPromise: Promise<grpc.Metadata>;

  constructor(private readonly call: grpc.ClientReadableStream<T>) {
    let resolveInitial: (md: grpc.Metadata) => void = () => {};
    this.initialPromise = new Promise((resolve) => (resolveInitial = resolve));
    const notify = (): void => {
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    };
    call.on("metadata", (md: grpc.Metadata) => {
      this.initial = md;
      resolveInitial(md);
    });
    call.on("data", (message: T) => {
      this.queue.push(message);
      if (this.queue.length >= HIGH_WATER && !this.paused) {
        this.paused = true;
        call.pause();
      }
      notify();
    });
    // grpc-js emits "error" for any non-OK status (ours to report from the iteration).
    call.on("error", (error: unknown) => {
      this.error ??= toGatewayError(error);
    });
    call.on("status", () => {
      this.statusSeen = true;
      resolveInitial(this.initial ?? new grpc.Metadata());
      notify();
    });
    const ended = (): void => {
      this.endSeen = true;
      notify();
    };
    call.on("end", ended);
    call.on("close", ended);
  }

  /** The initial metadata (response headers); empty when the call ended without any. */
  headers(): Promise<grpc.Metadata> {
    return this.initialPromise;
  }

  /** One initial metadata value, once it has arrived (it arrives before the first message). */
  header(name: string): string | undefined {
    const value = this.initial?.get(name)[0];
    return value === undefined ? undefined : value.toString();
  }

  /** `x-langgraph-run-id`, once the headers have arrived (before the first message). */
  get runId(): string | undefined {
    return this.header("x-langgraph-run-id");
  }

  /** `x-langgraph-thread-id`, when the gateway sent it. */
  get threadId(): string | undefined {
    return this.header("x-langgraph-thread-id");
  }

  /** Cancels the call (the iteration then ends with a CANCELLED GatewayError). */
  cancel(): void {
    this.call.cancel();
  }

  // grpc-js pushes the end of the stream, then emits "error" and "status" at once, while messages
  // may still wait in the stream's buffer (paused): done only when "end" has come too.
  private get finished(): boolean {
    return this.statusSeen && this.endSeen;
  }

  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    if (this.iterated) throw new Error("a CallStream can be iterated only once");
    this.iterated = true;
    return this.iterate();
  }

  private async *iterate(): AsyncGenerator<T, void, undefined> {
    try {
      for (;;) {
        const message = this.queue.shift();
        if (message !== undefined) {
          if (this.paused && this.queue.length <= LOW_WATER) {
            this.paused = false;
            this.call.resume();
          }
          yield message;
          continue;
        }
        if (this.finished) {
          if (this.error) throw this.error;
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      if (!this.statusSeen) this.call.cancel();
    }
  }

  /** Every message, in order (throws like the iteration). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const message of this) out.push(message);
    return out;
  }
}

/** A generic client for one service of the protos: call any rpc by name with plain objects. */
export class ServiceClient {
  constructor(
    readonly info: ServiceInfo,
    private readonly client: LangGraphGatewayClient,
  ) {}

  /** The rpc names, e.g. ["StreamRun", "WaitRun", ...]. */
  get methods(): string[] {
    return [...this.info.methods.keys()];
  }

  private method(name: string): MethodInfo {
    const method = this.info.methods.get(name) ?? this.info.methods.get(name.charAt(0).toUpperCase() + name.slice(1));
    if (!method) throw new Error(`${this.info.fullName} has no rpc ${name} (has: ${this.methods.join(", ")})`);
    return method;
  }

  /** Calls a unary rpc, e.g. unary("WaitRun", {...}). Rejects with a GatewayError. */
  unary<T = PlainMessage>(name: string, request: object = {}, options: CallOptions = {}): Promise<T> {
    const method = this.method(name);
    if (method.requestStream || method.responseStream) throw new Error(`${method.path} is not unary`);
    return this.client.unaryCall<T>(method, request, options);
  }

  /** Calls a server-streaming rpc, e.g. serverStream("StreamRun", {...}). */
  serverStream<T = PlainMessage>(name: string, request: object = {}, options: CallOptions = {}): CallStream<T> {
    const method = this.method(name);
    if (method.requestStream || !method.responseStream) throw new Error(`${method.path} is not server-streaming`);
    return this.client.serverStreamCall<T>(method, request, options);
  }
}

/**
 * A run request. Fields are those of StreamRunRequest / WaitRunRequest in runs.proto, under their
 * proto names (snake_case) or in camelCase; JSON fields (input, config, context, metadata,
 * command.resume, ...) are plain JavaScript values. Enums take their full name
 * ("ON_DISCONNECT_CANCEL"), short name ("cancel") or number. Unknown fields are a TypeError.
 */
export interface RunRequest {
  assistant_id?: string;
  assistantId?: string;
  thread_id?: string;
  threadId?: string;
  input?: JsonValue;
  command?: { update?: JsonValue; resume?: JsonValue; goto?: JsonValue };
  config?: JsonObject;
  context?: JsonObject;
  metadata?: JsonObject;
  stream_mode?: string | string[];
  streamMode?: string | string[];
  stream_subgraphs?: boolean;
  streamSubgraphs?: boolean;
  on_disconnect?: string | number;
  onDisconnect?: string | number;
  [field: string]: unknown;
}

/** One event of a run's stream. */
export interface StreamEvent {
  /** The event name as sent, e.g. "metadata", "updates", "updates|inner:<task id>", "error". */
  event: string;
  /** The event's JSON payload as plain JavaScript; undefined when the event had none. */
  data?: JsonValue;
  /** The SSE id ("" unless the run is stream_resumable). */
  id: string;
  /** The stream mode: the event name before any "|". */
  mode: string;
  /** The subgraph namespace: the "|"-separated parts after the mode. */
  namespace: string[];
  /** With `data_format: "json"`: the data as the upstream's exact JSON bytes (instead of `data`). */
  data_json?: Uint8Array;
  [field: string]: unknown;
}

/** WaitRun's answer. */
export interface WaitResponse {
  /** The final state as plain JavaScript. */
  values?: JsonValue;
  run_id: string;
  thread_id: string;
  /** With `data_format: "json"`: the final state as the upstream's exact JSON bytes (instead of `values`). */
  values_json?: Uint8Array;
  [field: string]: unknown;
}

/** Runs: stream one, or wait for one's final state. */
export class RunsClient {
  constructor(readonly service: ServiceClient) {}

  /** StreamRun: an async iterable of {event, data, id, mode, namespace}. */
  stream(request: RunRequest, options: CallOptions = {}): CallStream<StreamEvent> {
    return this.service.serverStream<StreamEvent>("StreamRun", request, options);
  }

  /** WaitRun: the run's final state (values) as plain JavaScript. */
  async wait(request: RunRequest, options: CallOptions = {}): Promise<JsonValue | undefined> {
    return (await this.waitResponse(request, options)).values;
  }

  /** WaitRun: the whole answer, {values, run_id, thread_id}. */
  waitResponse(request: RunRequest, options: CallOptions = {}): Promise<WaitResponse> {
    return this.service.unary<WaitResponse>("WaitRun", request, options);
  }
}

/** The LangGraph gRPC gateway client. */
export class LangGraphGatewayClient {
  readonly protos: Protos;
  readonly runs: RunsClient;
  private readonly grpcClient: grpc.Client;
  private readonly defaultMetadata: MetadataInit | undefined;
  private readonly serviceClients = new Map<string, ServiceClient>();

  /** @param address host:port of the gateway (plaintext unless `credentials` say otherwise). */
  constructor(address: string, options: ClientOptions = {}) {
    this.protos = loadProtos(options.protoDir);
    this.grpcClient = new grpc.Client(address, options.credentials ?? grpc.credentials.createInsecure(), options.channelOptions);
    this.defaultMetadata = options.metadata;
    this.runs = new RunsClient(this.service("langgraph_gateway.v1.RunsService"));
  }

  /** The full names of the services in the protos. */
  get serviceNames(): string[] {
    return [...this.protos.services.keys()];
  }

  /** A generic client for a service, by full or short name ("ThreadsService"). */
  service(name: string): ServiceClient {
    const info = this.protos.service(name);
    let client = this.serviceClients.get(info.fullName);
    if (!client) {
      client = new ServiceClient(info, this);
      this.serviceClients.set(info.fullName, client);
    }
    return client;
  }

  /** Resolves once the channel is connected (rejects after `timeoutMs`). */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      this.grpcClient.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Closes the channel. */
  close(): void {
    this.grpcClient.close();
  }

  /** @internal */
  unaryCall<T>(method: MethodInfo, request: object, options: CallOptions): Promise<T> {
    const bytes = Buffer.from(this.protos.encode(method.requestType, request));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelledBySignal());
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => call.cancel();
      const call = this.grpcClient.makeUnaryRequest<Buffer, T>(
        method.path,
        (b) => b,
        (b) => this.protos.decode(method.responseType, b) as T,
        bytes,
        toMetadata(this.defaultMetadata, options.metadata),
        grpcCallOptions(options),
        (error, response) => {
          signal?.removeEventListener("abort", onAbort);
          if (error) reject(toGatewayError(error));
          else if (response === undefined) reject(new GatewayError(grpc.status.INTERNAL, "no response message"));
          else resolve(response);
        },
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** @internal */
  serverStreamCall<T>(method: MethodInfo, request: object, options: CallOptions): CallStream<T> {
    const bytes = Buffer.from(this.protos.encode(method.requestType, request));
    const call = this.grpcClient.makeServerStreamRequest<Buffer, T>(
      method.path,
      (b) => b,
      (b) => this.protos.decode(method.responseType, b) as T,
      bytes,
      toMetadata(this.defaultMetadata, options.metadata),
      grpcCallOptions(options),
    );
    const stream = new CallStream<T>(call);
    const { signal } = options;
    if (signal) {
      if (signal.aborted) call.cancel();
      else {
        const onAbort = (): void => call.cancel();
        signal.addEventListener("abort", onAbort, { once: true });
        call.on("status", () => signal.removeEventListener("abort", onAbort));
      }
    }
    return stream;
  }
}
