package dev.langgraph.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs against the live gateway at $LANGGRAPH_GATEWAY_ADDRESS (host:port, plaintext). */
class GatewayClientTest {
  private static GatewayClient connection;
  private static GatewayClient client;

  @BeforeAll
  static void connect() {
    String address = System.getenv("LANGGRAPH_GATEWAY_ADDRESS");
    if (address == null || address.isBlank()) {
      fail("LANGGRAPH_GATEWAY_ADDRESS is not set: it must name a running gateway (host:port)");
    }
    connection = GatewayClient.connect(address);
    client = connection.withTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void close() {
    if (connection != null) {
      connection.close();
    }
  }

  private static Map<String, Object> says(String text) {
    return Map.of("messages", List.of(Map.of("role", "user", "content", text)));
  }

  @Test
  void streamsUpdatesAsPlainObjects() {
    List<RunEvent> events = new ArrayList<>();
    String runId;
    try (RunStream stream = client.runs().stream("agent", says("hi"), "updates")) {
      stream.forEachRemaining(events::add);
      runId = stream.runId();
    }
    List<String> names = events.stream().map(RunEvent::event).toList();
    assertEquals(List.of("metadata", "updates", "updates"), names);
    assertEquals("echo: hi", events.get(1).get("echo", "messages", 0, "content"));
    assertEquals(1.0, events.get(2).get("post", "count"));
    assertTrue(events.get(1).data() instanceof Map, "data is a plain Map");
    assertFalse(runId == null || runId.isEmpty(), "x-langgraph-run-id in the initial metadata");
    assertEquals(runId, events.get(0).get("run_id"));
  }

  @Test
  void waitsForTheFinalValues() {
    RunResult result = client.runs().waitRun("agent", says("hi"));
    assertEquals(1.0, result.get("count"));
    assertEquals("echo: hi", result.get("messages", 1, "content"));
    assertFalse(result.runId().isEmpty());
  }

  @Test
  void failedRunIsInternalAfterItsErrorEvent() {
    List<String> names = new ArrayList<>();
    GatewayException error;
    try (RunStream stream = client.runs().stream("agent", says("FAIL x"), "updates")) {
      error =
          assertThrows(
              GatewayException.class, () -> stream.forEachRemaining(e -> names.add(e.event())));
    }
    assertEquals(Status.Code.INTERNAL, error.code());
    assertEquals("RUN_FAILED", error.reason());
    assertEquals("langgraph-grpc-gateway", error.domain());
    assertEquals("metadata", names.get(0));
    assertEquals("error", names.get(names.size() - 1));
  }

  @Test
  void unknownAssistantIsInvalidArgument() {
    GatewayException streamError =
        assertThrows(
            GatewayException.class,
            () -> {
              try (RunStream stream = client.runs().stream("nope", says("hi"), "updates")) {
                stream.forEachRemaining(e -> {});
              }
            });
    assertEquals(Status.Code.INVALID_ARGUMENT, streamError.code());

    GatewayException waitError =
        assertThrows(GatewayException.class, () -> client.runs().waitRun("nope", says("hi")));
    assertEquals(Status.Code.INVALID_ARGUMENT, waitError.code());
    assertTrue(waitError.errorMetadata().getOrDefault("http_status", "4xx").startsWith("4"));
  }
}
