package dev.langgraph.gateway.example;

import dev.langgraph.gateway.client.GatewayClient;
import dev.langgraph.gateway.client.Json;
import dev.langgraph.gateway.client.RunEvent;
import dev.langgraph.gateway.client.RunResult;
import dev.langgraph.gateway.client.RunStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Streams a run of the assistant "agent" (stream mode "updates") printing each event, then waits
 * for another run and prints its final values.
 *
 * <p>Usage: {@code mvn -B -q compile exec:java -Dexec.args=127.0.0.1:50051}
 * (default: $LANGGRAPH_GATEWAY_ADDRESS, else 127.0.0.1:50051).
 */
public final class StreamExample {
  private StreamExample() {}

  public static void main(String[] args) {
    String address = args.length > 0 ? args[0] : System.getenv("LANGGRAPH_GATEWAY_ADDRESS");
    if (address == null || address.isEmpty()) {
      address = "127.0.0.1:50051";
    }
    Map<String, Object> input =
        Map.of("messages", List.of(Map.of("role", "user", "content", "hi")));

    try (GatewayClient client = GatewayClient.connect(address)) {
      GatewayClient calls = client.withTimeout(Duration.ofSeconds(60));

      try (RunStream stream = calls.runs().stream("agent", input, "updates")) {
        System.out.println("run id (initial metadata): " + stream.runId());
        for (RunEvent event : stream) {
          System.out.println(event.event() + " " + Json.stringify(event.data()));
        }
      }

      RunResult result = calls.runs().waitRun("agent", input);
      System.out.println("wait run " + result.runId() + " values " + Json.stringify(result.values()));
    }
  }
}
