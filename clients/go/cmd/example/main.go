// Command example streams a run of the "agent" graph through a langgraph-grpc-gateway, printing
// each event (name and data as JSON), then runs it again with WaitRun and prints the final values.
//
//	go run ./cmd/example -addr 127.0.0.1:50051
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

func main() {
	defaultAddr := os.Getenv("LANGGRAPH_GATEWAY_ADDRESS")
	if defaultAddr == "" {
		defaultAddr = "127.0.0.1:50051"
	}
	addr := flag.String("addr", defaultAddr, "gateway address, host:port (plaintext)")
	assistant := flag.String("assistant", "agent", "assistant id or graph name")
	text := flag.String("input", "hi", `the user message ("FAIL x" makes the test graph fail)`)
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *addr, *assistant, *text); err != nil {
		var gwErr *lggateway.Error
		if errors.As(err, &gwErr) {
			fmt.Fprintf(os.Stderr, "error: code=%s reason=%s metadata=%v: %s\n",
				gwErr.Code(), gwErr.Reason(), gwErr.Metadata(), gwErr.Message())
		} else {
			fmt.Fprintln(os.Stderr, "error:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, addr, assistant, text string) error {
	client, err := lggateway.Dial(addr)
	if err != nil {
		return err
	}
	defer client.Close()

	input := lggateway.MustValue(map[string]any{
		"messages": []map[string]string{{"role": "user", "content": text}},
	})

	stream, err := client.Runs().Stream(ctx, &gatewayv1.StreamRunRequest{
		AssistantId: assistant,
		Input:       input,
		StreamMode:  []string{"updates"},
	})
	if err != nil {
		return err
	}
	defer stream.Close()
	if id := stream.RunID(); id != "" {
		fmt.Fprintf(out, "run %s\n", id)
	}
	for ev, err := range stream.Events() {
		if err != nil {
			return err
		}
		data, err := json.Marshal(ev.Data)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %s\n", ev.Event, data)
	}

	res, err := client.Runs().Wait(ctx, &gatewayv1.WaitRunRequest{AssistantId: assistant, Input: input})
	if err != nil {
		return err
	}
	values, err := json.Marshal(res.Values)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wait run %s values: %s\n", res.RunID, values)
	return nil
}
