package dev.langgraph.gateway.client;

import dev.langgraph.gateway.v1.RunsServiceGrpc;
import dev.langgraph.gateway.v1.StreamRunRequest;
import dev.langgraph.gateway.v1.WaitRunRequest;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** The runs of {@code langgraph_gateway.v1.RunsService}: stream a run, or wait for its result. */
public final class Runs {
  private final RunsServiceGrpc.RunsServiceBlockingStub stub;
  private final UnaryOperator<RunsServiceGrpc.RunsServiceBlockingStub> perCall;

  Runs(
      RunsServiceGrpc.RunsServiceBlockingStub stub,
      UnaryOperator<RunsServiceGrpc.RunsServiceBlockingStub> perCall) {
    this.stub = stub;
    this.perCall = perCall;
  }

  /**
   * Starts a run and streams its events ({@code StreamRun}). Close the stream, or read it to the
   * end.
   */
  public RunStream stream(StreamRunRequest request) {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    Context.CancellableContext context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      return new RunStream(
          perCall
              .apply(stub)
              .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
              .streamRun(request),
          context,
          headers);
    } catch (StatusRuntimeException e) {
      context.close();
      throw new GatewayException(e);
    } finally {
      context.detach(previous);
    }
  }

  /**
   * Streams a stateless run of {@code assistantId} with {@code input} (plain Java objects, see
   * {@link Json#toValue}) in the given stream modes ({@code "updates"}, {@code "values"}, ...).
   */
  public RunStream stream(String assistantId, Object input, String... streamModes) {
    return stream(
        StreamRunRequest.newBuilder()
            .setAssistantId(assistantId)
            .setInput(Json.toValue(input))
            .addAllStreamMode(Arrays.asList(streamModes))
            .build());
  }

  /** Starts a run and waits for its final state ({@code WaitRun}). */
  public RunResult waitRun(WaitRunRequest request) {
    try {
      return RunResult.of(perCall.apply(stub).waitRun(request));
    } catch (StatusRuntimeException e) {
      throw new GatewayException(e);
    }
  }

  /** Runs {@code assistantId} statelessly on {@code input} and waits for its final state. */
  public RunResult waitRun(String assistantId, Object input) {
    return waitRun(
        WaitRunRequest.newBuilder().setAssistantId(assistantId).setInput(Json.toValue(input)).build());
  }
}
