package dev.langgraph.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.langgraph.gateway.v1.DeleteItemRequest;
import dev.langgraph.gateway.v1.GetItemRequest;
import dev.langgraph.gateway.v1.GetItemResponse;
import dev.langgraph.gateway.v1.PutItemRequest;
import dev.langgraph.gateway.v1.SearchItemsRequest;
import dev.langgraph.gateway.v1.StoreServiceGrpc;
import dev.langgraph.gateway.v1.StoreServiceGrpc.StoreServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** StoreService through its generated stub, as the README shows it, against the live gateway. */
class StoreServiceTest {
  private static GatewayClient client;

  @BeforeAll
  static void connect() {
    String address = System.getenv("LANGGRAPH_GATEWAY_ADDRESS");
    if (address == null || address.isBlank()) {
      fail("LANGGRAPH_GATEWAY_ADDRESS is not set: it must name a running gateway (host:port)");
    }
    client = GatewayClient.connect(address);
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void readmeStoreCall() {
    List<String> namespace = List.of("users", "java-" + UUID.randomUUID());

    // As in README.md:
    GatewayClient timed = client.withTimeout(Duration.ofSeconds(30));
    StoreServiceBlockingStub store = timed.stub(StoreServiceGrpc.newBlockingStub(client.channel()));
    store.putItem(
        PutItemRequest.newBuilder()
            .addAllNamespace(namespace)
            .setKey("profile")
            .setValue(Json.toStruct(Map.of("name", "Ada")))
            .build());
    GetItemRequest get = GetItemRequest.newBuilder().addAllNamespace(namespace).setKey("profile").build();
    GetItemResponse got = store.getItem(get);
    Map<String, Object> value = Json.fromStruct(got.getItem().getValue());

    assertEquals(Map.of("name", "Ada"), value);
    assertEquals(namespace, got.getItem().getNamespaceList());
    assertFalse(got.getItem().getCreatedAt().isEmpty());
    SearchItemsRequest search = SearchItemsRequest.newBuilder().addAllNamespacePrefix(namespace).build();
    assertEquals(1, store.searchItems(search).getItemsCount());

    store.deleteItem(DeleteItemRequest.newBuilder().addAllNamespace(namespace).setKey("profile").build());
    assertFalse(store.getItem(get).hasItem());
  }

  @Test
  void storeErrorsCarryTheGatewaysErrorInfo() {
    StoreServiceBlockingStub store = client.stub(StoreServiceGrpc.newBlockingStub(client.channel()));
    PutItemRequest dotted = PutItemRequest.newBuilder().addNamespace("a.b").setKey("k").build();
    StatusRuntimeException raw =
        assertThrows(StatusRuntimeException.class, () -> store.putItem(dotted));
    GatewayException error = GatewayException.of(raw);
    assertEquals(Status.Code.INVALID_ARGUMENT, error.code());
    assertEquals("langgraph-grpc-gateway", error.domain());
  }
}
