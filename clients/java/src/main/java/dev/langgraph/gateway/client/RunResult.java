package dev.langgraph.gateway.client;

import dev.langgraph.gateway.v1.WaitRunResponse;

/**
 * The answer of {@link Runs#waitRun}: a finished run's final state.
 *
 * @param values the final state as plain Java objects (usually a {@code Map}), "__interrupt__"
 *     included
 * @param runId the run's id
 * @param threadId the run's thread (a temporary one for a stateless run)
 */
public record RunResult(Object values, String runId, String threadId) {

  /** Converts a generated {@code WaitRunResponse}. */
  public static RunResult of(WaitRunResponse message) {
    return new RunResult(
        message.hasValues() ? Json.fromValue(message.getValues()) : null,
        message.getRunId(),
        message.getThreadId());
  }

  /** Walks into {@link #values()}, see {@link Json#path}. */
  public Object get(Object... steps) {
    return Json.path(values, steps);
  }
}
