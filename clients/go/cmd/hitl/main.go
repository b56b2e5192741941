// Command hitl is human in the loop over gRPC: a run stops at interrupt(), a person reads the
// thread's state, edits it, and resumes the run with their answer.
//
//	go run ./cmd/hitl -addr 127.0.0.1:50051 -answer approved
//
// With the gateway in front of tests/upstream/graph.py's "agent": the input "INTERRUPT ..." makes
// its echo node call interrupt({"question": "approve?", ...}); post then adds 1 to count.
//
//  1. WaitRun on a new thread stops at the interrupt (__interrupt__ in the values).
//  2. GetThreadState shows what waits: next == ["echo"] and the interrupt's question.
//  3. UpdateThreadState writes {"count": 41} as_node "__start__": written as the run's input was,
//     so echo (the node waiting for an answer) still runs next.
//  4. WaitRun with Command{Resume: answer} finishes the run: echo answers "resumed with: <answer>"
//     and post counts from the edited 41, so count == 42.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	gatewayv1 "github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/gen/langgraph_gateway/v1"
	"github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/lggateway"
)

// editedCount is the value the human writes into the state before resuming.
const editedCount = 41

func main() {
	defaultAddr := os.Getenv("LANGGRAPH_GATEWAY_ADDRESS")
	if defaultAddr == "" {
		defaultAddr = "127.0.0.1:50051"
	}
	addr := flag.String("addr", defaultAddr, "gateway address, host:port (plaintext)")
	answer := flag.String("answer", "approved", "the human's answer to the interrupt")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *addr, *answer); err != nil {
		var gwErr *lggateway.Error
		if errors.As(err, &gwErr) {
			fmt.Fprintf(os.Stderr, "error: code=%s reason=%s: %s\n", gwErr.Code(), gwErr.Reason(), gwErr.Message())
		} else {
			fmt.Fprintln(os.Stderr, "error:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, addr, answer string) error {
	client, err := lggateway.Dial(addr)
	if err != nil {
		return err
	}
	defer client.Close()

	created, err := client.Threads().CreateThread(ctx, &gatewayv1.CreateThreadRequest{
		Metadata: lggateway.MustStruct(map[string]any{"graph_id": "agent"}),
	})
	if err != nil {
		return err
	}
	threadID := created.GetThread().GetThreadId()

	// 1. The run stops at interrupt().
	stopped, err := client.Runs().Wait(ctx, &gatewayv1.WaitRunRequest{
		ThreadId:    &threadID,
		AssistantId: "agent",
		Input: lggateway.MustValue(map[string]any{
			"messages": []any{map[string]any{"role": "user", "content": "INTERRUPT please approve"}},
		}),
	})
	if err != nil {
		return err
	}
	interrupts, _ := stopped.State()["__interrupt__"].([]any)
	if len(interrupts) == 0 {
		return fmt.Errorf("the run did not stop at an interrupt: %v", stopped.Values)
	}
	if err := printJSON(out, "stopped at: ", interrupts[0].(map[string]any)["value"]); err != nil {
		return err
	}

	// 2. Read what waits.
	got, err := client.Threads().GetThreadState(ctx, &gatewayv1.GetThreadStateRequest{ThreadId: threadID})
	if err != nil {
		return err
	}
	state := got.GetState()
	pending := state.GetInterrupts().AsSlice()
	if len(pending) == 0 {
		return fmt.Errorf("the thread's state has no pending interrupt")
	}
	question := pending[0].(map[string]any)["value"].(map[string]any)["question"]
	fmt.Fprintf(out, "next: %v question: %v\n", state.GetNext(), question)

	// 3. Edit the state, as the input was written, so echo still runs next.
	updated, err := client.Threads().UpdateThreadState(ctx, &gatewayv1.UpdateThreadStateRequest{
		ThreadId: threadID,
		Values:   lggateway.MustValue(map[string]any{"count": editedCount}),
		AsNode:   "__start__",
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "edited: count = %d at checkpoint %s\n", editedCount, updated.GetCheckpoint().GetCheckpointId())

	// 4. Resume with the human's answer.
	final, err := client.Runs().Wait(ctx, &gatewayv1.WaitRunRequest{
		ThreadId:    &threadID,
		AssistantId: "agent",
		Command:     &gatewayv1.Command{Resume: lggateway.MustValue(answer)},
	})
	if err != nil {
		return err
	}
	var result struct {
		Count    int `json:"count"`
		Messages []struct {
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := final.Decode(&result); err != nil {
		return err
	}
	if len(result.Messages) == 0 {
		return fmt.Errorf("no messages in the final values: %v", final.Values)
	}
	reply := result.Messages[len(result.Messages)-1].Content
	return printJSON(out, "result: ", map[string]any{"count": result.Count, "reply": reply})
}

func printJSON(out io.Writer, prefix string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s%s\n", prefix, data)
	return err
}
