export {
  CallStream,
  LangGraphGatewayClient,
  RunsClient,
  ServiceClient,
  type CallOptions,
  type ClientOptions,
  type MetadataInit,
  type PlainMessage,
  type RunRequest,
  type StreamEvent,
  type WaitResponse,
} from "./client.js";
export { GatewayError, decodeStatusDetails, statusName, toGatewayError, type ErrorInfo, type StatusDetail } from "./errors.js";
export { Protos, defaultProtoDir, loadProtos, type MethodInfo, type ServiceInfo } from "./protos.js";
export {
  fromListValue,
  fromStruct,
  fromValue,
  toListValue,
  toStruct,
  toValue,
  type JsonObject,
  type JsonValue,
} from "./value.js";
export { status } from "@grpc/grpc-js";
