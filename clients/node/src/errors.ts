// gRPC errors as one Error subclass, with the gateway's google.rpc.Status details decoded.
import * as grpc from "@grpc/grpc-js";
import protobuf from "protobufjs";

/** google.rpc.ErrorInfo: why the call failed, machine-readable. */
export interface ErrorInfo {
  /** e.g. "RUN_FAILED", "INVALID_REQUEST", "UPSTREAM_UNAVAILABLE", "HTTP_422" */
  reason: string;
  /** "langgraph-grpc-gateway" for the gateway's own errors. */
  domain: string;
  /** e.g. { http_status: "422" }, { error: "ValueError", message: "..." }, { field: "input" } */
  metadata: Record<string, string>;
}

/** One entry of google.rpc.Status.details, still packed. */
export interface StatusDetail {
  typeUrl: string;
  value: Uint8Array;
}

const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

// The two messages of google/rpc/{status,error_details}.proto that we read, inline: they are not
// part of protos/, and the wire format is all that matters.
const rpcRoot = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: "int32", id: 1 },
                message: { type: "string", id: 2 },
                details: { rule: "repeated", type: "Packed", id: 3 },
              },
            },
            // google.protobuf.Any under another name, so protobufjs applies no Any wrapper.
            Packed: {
              fields: {
                type_url: { type: "string", id: 1 },
                value: { type: "bytes", id: 2 },
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
        },
      },
    },
  },
});
const StatusType = rpcRoot.lookupType("google.rpc.Status");
const ErrorInfoType = rpcRoot.lookupType("google.rpc.ErrorInfo");

const CODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(grpc.status)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => [v as number, k]),
);

/** The name of a gRPC status code: 13 -> "INTERNAL". */
export function statusName(code: number): string {
  return CODE_NAMES[code] ?? `CODE_${code}`;
}

/** Decodes the `grpc-status-details-bin` trailer (a google.rpc.Status), if there is one. */
export function decodeStatusDetails(metadata: grpc.Metadata | undefined): { details: StatusDetail[]; errorInfo?: ErrorInfo } {
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (!raw || typeof raw === "string") return { details: [] };
  try {
    const status = StatusType.toObject(StatusType.decode(raw), { arrays: true }) as {
      details: { type_url?: string; value?: Uint8Array }[];
    };
    const details = status.details.map((d) => ({ typeUrl: d.type_url ?? "", value: d.value ?? new Uint8Array() }));
    const packed = details.find((d) => d.typeUrl === ERROR_INFO_TYPE);
    if (!packed) return { details };
    const info = ErrorInfoType.toObject(ErrorInfoType.decode(packed.value), { defaults: true, objects: true }) as ErrorInfo;
    return { details, errorInfo: { reason: info.reason, domain: info.domain, metadata: { ...info.metadata } } };
  } catch {
    return { details: [] };
  }
}

/** A failed gRPC call. `code` is the gRPC status code (compare with `grpc.status.INTERNAL` or `codeName`). */
export class GatewayError extends Error {
  /** The gRPC status code, e.g. 13. */
  readonly code: number;
  /** Its name, e.g. "INTERNAL". */
  readonly codeName: string;
  /** The status message (the upstream server's own `detail` for upstream errors). */
  readonly details: string;
  /** The trailers. */
  readonly metadata: grpc.Metadata;
  /** The decoded google.rpc.ErrorInfo from the trailers, when the gateway sent one. */
  readonly errorInfo: ErrorInfo | undefined;
  /** All google.rpc.Status details, packed (ErrorInfo among them). */
  readonly statusDetails: StatusDetail[];

  constructor(code: number, details: string, metadata: grpc.Metadata = new grpc.Metadata(), options?: { cause?: unknown }) {
    super(`${statusName(code)}: ${details}`, options);
    this.name = "GatewayError";
    this.code = code;
    this.codeName = statusName(code);
    this.details = details;
    this.metadata = metadata;
    const decoded = decodeStatusDetails(metadata);
    this.errorInfo = decoded.errorInfo;
    this.statusDetails = decoded.details;
  }

  /** The reason of the ErrorInfo, e.g. "RUN_FAILED" (undefined when there is none). */
  get reason(): string | undefined {
    return this.errorInfo?.reason;
  }
}

/** Any error from grpc-js (or ours) -> GatewayError. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const e = error as Partial<grpc.ServiceError> | undefined;
  if (e && typeof e.code === "number") {
    return new GatewayError(e.code, e.details ?? e.message ?? "", e.metadata instanceof grpc.Metadata ? e.metadata : undefined, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError(grpc.status.UNKNOWN, message, undefined, { cause: error });
}
