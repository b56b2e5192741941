package dev.langgraph.gateway.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/**
 * A call that ended with a gRPC error. Carries the status code, the server's message and, when the
 * gateway sent one, its {@code google.rpc.ErrorInfo} (domain {@code langgraph-grpc-gateway}, a
 * reason such as {@code RUN_FAILED} and metadata such as {@code http_status}).
 */
public final class GatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final transient ErrorInfo errorInfo;

  GatewayException(StatusRuntimeException cause) {
    super(cause.getStatus().getCode() + ": " + cause.getStatus().getDescription(), cause);
    this.code = cause.getStatus().getCode();
    this.errorInfo = findErrorInfo(cause);
  }

  /** The error of a call made with a generated stub, with the gateway's ErrorInfo read. */
  public static GatewayException of(StatusRuntimeException cause) {
    return new GatewayException(cause);
  }

  /** The gRPC status code, e.g. {@code INTERNAL} for a failed run. */
  public Status.Code code() {
    return code;
  }

  /** The status message: the upstream server's own detail. */
  public String description() {
    return ((StatusRuntimeException) getCause()).getStatus().getDescription();
  }

  /** The ErrorInfo reason ({@code RUN_FAILED}, {@code INVALID_REQUEST}, ...), "" when none came. */
  public String reason() {
    return errorInfo == null ? "" : errorInfo.getReason();
  }

  /** The ErrorInfo domain, "" when none came. */
  public String domain() {
    return errorInfo == null ? "" : errorInfo.getDomain();
  }

  /** The ErrorInfo metadata ({@code http_status}, {@code error}, {@code message}, {@code field}). */
  public Map<String, String> errorMetadata() {
    return errorInfo == null ? Map.of() : errorInfo.getMetadataMap();
  }

  private static ErrorInfo findErrorInfo(StatusRuntimeException cause) {
    com.google.rpc.Status status = StatusProto.fromThrowable(cause);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }
}
