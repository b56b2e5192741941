package dev.langgraph.gateway.client;

import dev.langgraph.gateway.v1.StreamRunResponse;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The events of one {@code StreamRun} call, in order, as they arrive (blocking).
 *
 * <p>Iterate it once (it is its own {@link Iterable} for for-each loops) and close it (or use
 * try-with-resources): closing before the end cancels the call, and the gateway drops the upstream
 * connection. A call that ends with an error throws {@link GatewayException} from {@link #hasNext}
 * or {@link #next}, after the events that came before it (a failed run's {@code error} event
 * included).
 */
public final class RunStream implements Iterator<RunEvent>, Iterable<RunEvent>, AutoCloseable {
  static final Metadata.Key<String> RUN_ID =
      Metadata.Key.of("x-langgraph-run-id", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> THREAD_ID =
      Metadata.Key.of("x-langgraph-thread-id", Metadata.ASCII_STRING_MARSHALLER);

  private final Iterator<StreamRunResponse> messages;
  private final Context.CancellableContext context;
  private final AtomicReference<Metadata> headers;

  RunStream(
      Iterator<StreamRunResponse> messages,
      Context.CancellableContext context,
      AtomicReference<Metadata> headers) {
    this.messages = messages;
    this.context = context;
    this.headers = headers;
  }

  @Override
  public boolean hasNext() {
    try {
      boolean more = messages.hasNext();
      if (!more) {
        context.close();
      }
      return more;
    } catch (StatusRuntimeException e) {
      context.close();
      throw new GatewayException(e);
    }
  }

  @Override
  public RunEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return RunEvent.of(messages.next());
  }

  /** This stream itself: it can be iterated only once. */
  @Override
  public Iterator<RunEvent> iterator() {
    return this;
  }

  /**
   * The run id from the initial metadata ({@code x-langgraph-run-id}). The gateway sends it before
   * the first event, so this waits for that event if it has not come yet.
   */
  public String runId() {
    return header(RUN_ID);
  }

  /** The thread id from the initial metadata, null when the server named none. */
  public String threadId() {
    return header(THREAD_ID);
  }

  private String header(Metadata.Key<String> key) {
    if (headers.get() == null) {
      hasNext();
    }
    Metadata received = headers.get();
    return received == null ? null : received.get(key);
  }

  /** Cancels the call if it is still going. */
  @Override
  public void close() {
    context.close();
  }
}
