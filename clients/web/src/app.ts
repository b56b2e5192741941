// The page (index.html): pick an assistant, send a message, see the run's events as they arrive.
// The gateway's address (Envoy's gRPC-Web listener) is the page's ?endpoint=, else the field's.

import type { JsonValue } from "@bufbuild/protobuf";
import { describeError, gatewayClient, streamRun, type GatewayClient } from "./client.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("run");
const endpoint = $<HTMLInputElement>("endpoint");
const assistant = $<HTMLSelectElement>("assistant");
const message = $<HTMLInputElement>("message");
const streamMode = $<HTMLInputElement>("stream-mode");
const send = $<HTMLButtonElement>("send");
const runId = $<HTMLElement>("run-id");
const events = $<HTMLOListElement>("events");
const status = $<HTMLElement>("status");

/** The status line, and its state for scripts and styles: loading, ready, running, done, error. */
function setStatus(state: string, text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function showEvent(event: string, data: JsonValue | undefined): void {
  const item = document.createElement("li");
  item.dataset.event = event;
  const name = document.createElement("b");
  name.textContent = event;
  const payload = document.createElement("code");
  payload.textContent = data === undefined ? "" : JSON.stringify(data);
  item.append(name, " ", payload);
  events.append(item);
}

async function loadAssistants(client: GatewayClient): Promise<void> {
  setStatus("loading", "loading assistants…");
  assistant.replaceChildren();
  try {
    const { assistants } = await client.assistants.searchAssistants({ limit: 100 });
    for (const a of assistants) {
      const option = new Option(`${a.name || a.graphId} (${a.graphId})`, a.assistantId);
      option.dataset.graphId = a.graphId;
      assistant.append(option);
    }
    setStatus("ready", `${assistants.length} assistants`);
  } catch (error) {
    setStatus("error", describeError(error));
  }
}

async function run(client: GatewayClient): Promise<void> {
  events.replaceChildren();
  runId.textContent = "";
  send.disabled = true;
  setStatus("running", "streaming…");
  const request = {
    assistantId: assistant.value,
    input: { messages: [{ role: "user", content: message.value }] },
    streamMode: streamMode.value.split(",").map((mode) => mode.trim()).filter(Boolean),
  };
  let count = 0;
  try {
    const onRunId = (id: string) => (runId.textContent = id);
    for await (const { event, data } of streamRun(client, request, { onRunId })) {
      showEvent(event, data);
      count += 1;
    }
    setStatus("done", `done: ${count} events`);
  } catch (error) {
    setStatus("error", describeError(error));
  } finally {
    send.disabled = false;
  }
}

endpoint.value = new URLSearchParams(location.search).get("endpoint") ?? endpoint.value;
let client = gatewayClient(endpoint.value);
endpoint.addEventListener("change", () => {
  client = gatewayClient(endpoint.value);
  void loadAssistants(client);
});
form.addEventListener("submit", (submitted) => {
  submitted.preventDefault();
  void run(client);
});
void loadAssistants(client);
