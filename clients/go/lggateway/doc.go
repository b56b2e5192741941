// Package lggateway is a small Go client for langgraph-grpc-gateway, the gRPC front door for
// LangGraph agents served by the LangGraph API server.
//
// It wraps the code generated from the project's protos (package
// github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/gen/langgraph_gateway/v1,
// made by gen.sh; never committed) with what every caller otherwise writes by hand:
//
//   - JSON payloads (google.protobuf.Value / Struct) become plain Go values (map[string]any,
//     []any, string, float64, bool, nil) and Go values become payloads: [Value], [Struct].
//   - A streamed run is a [RunStream]: a Recv loop or a range-over-func iterator of [Event]s,
//     with the run id and thread id of the initial metadata at hand.
//   - Errors carry the gRPC status and the gateway's google.rpc.ErrorInfo: [Error]. They still
//     work with status.FromError, status.Code and errors.As.
//
// The other services are their generated clients on the same connection, with errors as *[Error]:
//
//	_, err := client.Store().PutItem(ctx, &gatewayv1.PutItemRequest{Namespace: ns, Key: "k", Value: v})
//	state, err := client.Threads().GetThreadState(ctx, &gatewayv1.GetThreadStateRequest{ThreadId: id})
//
// A minimal run:
//
//	client, err := lggateway.Dial("127.0.0.1:50051")
//	if err != nil { ... }
//	defer client.Close()
//	stream, err := client.Runs().Stream(ctx, &gatewayv1.StreamRunRequest{
//		AssistantId: "agent",
//		Input:       lggateway.MustValue(map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hi"}}}),
//		StreamMode:  []string{"updates"},
//	})
//	if err != nil { ... }
//	for ev, err := range stream.Events() {
//		if err != nil { ... } // *lggateway.Error, e.g. codes.Internal for a failed run
//		fmt.Println(ev.Event, ev.Data)
//	}
package lggateway

//go:generate bash ../gen.sh
