// StoreService through the generic service client, as README.md shows it, against the live
// gateway (LANGGRAPH_GATEWAY_ADDRESS=host:port; without it these tests fail).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { GatewayError, LangGraphGatewayClient, status, type JsonObject } from "../src/index.js";

const address = process.env.LANGGRAPH_GATEWAY_ADDRESS;
const TIMEOUT_MS = 30_000;

describe("StoreService on the live gateway", { timeout: 4 * TIMEOUT_MS }, () => {
  let client: LangGraphGatewayClient;

  before(async () => {
    assert.ok(address, "LANGGRAPH_GATEWAY_ADDRESS (host:port of a running gateway) is not set");
    client = new LangGraphGatewayClient(address);
    await client.waitForReady(20_000);
  });

  after(() => client?.close());

  test("the README's call: PutItem, then GetItem gives the value back as plain JS", async () => {
    const namespace = ["users", `node-${randomUUID()}`];

    // As in README.md:
    const store = client.service("StoreService");
    await store.unary("PutItem", { namespace, key: "profile", value: { name: "Ada", langs: ["ts"] } });
    const { item } = await store.unary<{ item?: JsonObject }>("GetItem", { namespace, key: "profile" });

    assert.ok(item);
    assert.deepEqual(item.value, { name: "Ada", langs: ["ts"] });
    assert.deepEqual(item.namespace, namespace);
    assert.equal(item.key, "profile");
    assert.equal(typeof item.created_at, "string");

    const found = await store.unary<{ items: JsonObject[] }>("SearchItems", { namespace_prefix: namespace }, { timeoutMs: TIMEOUT_MS });
    assert.deepEqual(
      found.items.map((i) => i.key),
      ["profile"],
    );
    await store.unary("DeleteItem", { namespace, key: "profile" });
    const gone = await store.unary<{ item?: JsonObject }>("GetItem", { namespace, key: "profile" });
    assert.equal(gone.item, undefined);
  });

  test("a dotted label: INVALID_ARGUMENT with the gateway's ErrorInfo", async () => {
    await assert.rejects(client.service("StoreService").unary("PutItem", { namespace: ["a.b"], key: "k" }), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, status.INVALID_ARGUMENT);
      assert.equal(error.errorInfo?.domain, "langgraph-grpc-gateway");
      return true;
    });
  });
});
