package dev.langgraph.gateway.client;

import dev.langgraph.gateway.v1.RunsServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client of langgraph-grpc-gateway.
 *
 * <pre>{@code
 * try (GatewayClient client = GatewayClient.connect("127.0.0.1:50051");
 *     RunStream stream = client.runs().stream("agent", input, "updates")) {
 *   for (RunEvent event : stream) {
 *     System.out.println(event.event() + " " + Json.stringify(event.data()));
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #withHeader} and {@link #withTimeout} give a view with per-call settings that shares
 * this client's channel. Every service generated from {@code protos/} is usable on {@link
 * #channel()} with its generated stub (e.g. {@code ThreadsServiceGrpc.newBlockingStub(channel)}).
 */
public final class GatewayClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final Metadata headers;
  private final Duration timeout;

  private GatewayClient(ManagedChannel channel, Metadata headers, Duration timeout) {
    this.channel = channel;
    this.headers = headers;
    this.timeout = timeout;
  }

  /** Wraps a channel you built; {@link #close()} shuts it down. */
  public GatewayClient(ManagedChannel channel) {
    this(channel, new Metadata(), null);
  }

  /** Connects to {@code host:port} in plaintext. */
  public static GatewayClient connect(String target) {
    return connect(target, InsecureChannelCredentials.create());
  }

  /** Connects to {@code target} with the given credentials (e.g. {@code TlsChannelCredentials}). */
  public static GatewayClient connect(String target, ChannelCredentials credentials) {
    return new GatewayClient(Grpc.newChannelBuilder(target, credentials).build());
  }

  /**
   * A view that sends {@code key: value} as request metadata on every call ({@code authorization},
   * {@code x-api-key}, {@code traceparent}, ... pass upstream).
   */
  public GatewayClient withHeader(String key, String value) {
    Metadata merged = new Metadata();
    merged.merge(headers);
    merged.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
    return new GatewayClient(channel, merged, timeout);
  }

  /** A view whose calls each get a deadline {@code timeout} after they start. */
  public GatewayClient withTimeout(Duration timeout) {
    return new GatewayClient(channel, headers, timeout);
  }

  /** The runs service. */
  public Runs runs() {
    Metadata callHeaders = headers;
    Duration callTimeout = timeout;
    return new Runs(
        RunsServiceGrpc.newBlockingStub(channel),
        stub -> {
          RunsServiceGrpc.RunsServiceBlockingStub configured =
              stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(callHeaders));
          return callTimeout == null
              ? configured
              : configured.withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
        });
  }

  /**
   * A generated stub of any service with this client's headers and timeout applied:
   *
   * <pre>{@code
   * StoreServiceBlockingStub store = client.stub(StoreServiceGrpc.newBlockingStub(client.channel()));
   * }</pre>
   *
   * <p>Its calls throw grpc-java's {@code StatusRuntimeException}; {@link GatewayException#of}
   * reads the gateway's ErrorInfo from one.
   */
  public <S extends AbstractStub<S>> S stub(S stub) {
    S configured = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    return timeout == null
        ? configured
        : configured.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The underlying channel, for the generated stubs of the other services. */
  public ManagedChannel channel() {
    return channel;
  }

  /** Shuts the channel down (views share it: close the client you connected). */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
