package dev.langgraph.gateway.client;

import dev.langgraph.gateway.v1.StreamRunResponse;
import java.util.List;

/**
 * One event of a run's stream.
 *
 * @param event the event name exactly as sent, e.g. {@code "metadata"}, {@code "updates"},
 *     {@code "updates|inner:<task id>"}, {@code "error"}
 * @param data the event's JSON payload as plain Java objects (Map/List/String/Double/Boolean),
 *     null when the event had none
 * @param id the SSE id, {@code ""} unless the run is stream_resumable
 * @param mode the stream mode: the event name before any {@code "|"}
 * @param namespace the subgraph namespace: the {@code "|"}-separated parts after the mode
 */
public record RunEvent(String event, Object data, String id, String mode, List<String> namespace) {

  /** Converts a generated {@code StreamRunResponse}. */
  public static RunEvent of(StreamRunResponse message) {
    return new RunEvent(
        message.getEvent(),
        message.hasData() ? Json.fromValue(message.getData()) : null,
        message.getId(),
        message.getMode(),
        Json.unmodifiable(message.getNamespaceList()));
  }

  /** Walks into {@link #data()}, see {@link Json#path}. */
  public Object get(Object... steps) {
    return Json.path(data, steps);
  }
}
