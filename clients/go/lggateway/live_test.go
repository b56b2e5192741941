package lggateway_test

// Tests against a live gateway in front of the real LangGraph API server with the test graphs of
// tests/upstream (LANGGRAPH_GATEWAY_ADDRESS; see internal/livetest). The upstream starts each run
// 0.5-1 s late, so the tests run in parallel.

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	gatewayv1 "github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/gen/langgraph_gateway/v1"
	"github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/internal/livetest"
	"github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/lggateway"
)

func connect(t *testing.T) (*lggateway.Client, context.Context) {
	t.Helper()
	addr := livetest.Address(t)
	t.Parallel()
	client, err := lggateway.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return client, ctx
}

// userInput is the agent graph's input: one user message.
func userInput(text string) *structpb.Value {
	return lggateway.MustValue(map[string]any{"messages": []any{map[string]any{"role": "user", "content": text}}})
}

// path walks maps (string keys) and lists (int indexes) of converted JSON.
func path(t *testing.T, v any, keys ...any) any {
	t.Helper()
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %q: %T is not an object", k, v)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("at [%d]: %T (%v) is not a long enough list", k, v, v)
			}
			v = l[k]
		}
	}
	return v
}

func TestStreamRunUpdates(t *testing.T) {
	client, ctx := connect(t)
	stream, err := client.Runs().Stream(ctx, &gatewayv1.StreamRunRequest{
		AssistantId: "agent",
		Input:       userInput("hi"),
		StreamMode:  []string{"updates"},
	})
	if err != nil {
		t.Fatal(err)
	}
	runID := stream.RunID() // initial metadata, before the first event
	var events []*lggateway.Event
	for ev, err := range stream.Events() {
		if err != nil {
			t.Fatalf("stream failed: %v", err)
		}
		events = append(events, ev)
	}

	var names []string
	for _, ev := range events {
		names = append(names, ev.Event)
	}
	if want := []string{"metadata", "updates", "updates"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("events = %q, want %q", names, want)
	}
	if got := path(t, events[1].Data, "echo", "messages", 0, "content"); got != "echo: hi" {
		t.Errorf("echo.messages[0].content = %#v, want \"echo: hi\"", got)
	}
	if got := path(t, events[2].Data, "post", "count"); got != 1.0 {
		t.Errorf("post.count = %#v, want 1", got)
	}
	if runID == "" {
		t.Fatal("no x-langgraph-run-id in the initial metadata")
	}
	if got := path(t, events[0].Data, "run_id"); got != runID {
		t.Errorf("metadata event run_id = %#v, initial metadata run id = %q", got, runID)
	}
	if events[1].Mode != "updates" || len(events[1].Namespace) != 0 {
		t.Errorf("mode/namespace = %q/%q", events[1].Mode, events[1].Namespace)
	}
	var typed struct {
		Echo struct {
			Messages []struct {
				Type    string `json:"type"`
				Content string `json:"content"`
			} `json:"messages"`
		} `json:"echo"`
	}
	if err := events[1].Decode(&typed); err != nil || typed.Echo.Messages[0].Type != "ai" {
		t.Errorf("Decode: %v, %+v", err, typed)
	}
}

func TestWaitRun(t *testing.T) {
	client, ctx := connect(t)
	res, err := client.Runs().Wait(ctx, &gatewayv1.WaitRunRequest{AssistantId: "agent", Input: userInput("hi")})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.State()["count"]; got != 1.0 {
		t.Errorf("values.count = %#v, want 1 (values %v)", got, res.Values)
	}
	if got := path(t, res.Values, "messages", 1, "content"); got != "echo: hi" {
		t.Errorf("values.messages[1].content = %#v", got)
	}
	if res.RunID == "" || res.ThreadID == "" {
		t.Errorf("run id %q, thread id %q", res.RunID, res.ThreadID)
	}
	if got := res.Trailer.Get(lggateway.RunIDHeader); len(got) != 1 || got[0] != res.RunID {
		t.Errorf("trailing metadata run id %q, response run id %q", got, res.RunID)
	}
	if got := res.Header.Get(lggateway.RunIDHeader); len(got) != 0 {
		t.Errorf("initial metadata run id %q without NotifyRunCreated", got)
	}
}

func TestWaitRunNotifyRunCreated(t *testing.T) {
	client, ctx := connect(t)
	req := &gatewayv1.WaitRunRequest{AssistantId: "agent", Input: userInput("hi"), NotifyRunCreated: true}
	res, err := client.Runs().Wait(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Header.Get(lggateway.RunIDHeader); len(got) != 1 || got[0] != res.RunID {
		t.Errorf("initial metadata run id %q, response run id %q", got, res.RunID)
	}
	if got := res.Header.Get(lggateway.ThreadIDHeader); len(got) != 1 || got[0] != res.ThreadID {
		t.Errorf("initial metadata thread id %q, response thread id %q", got, res.ThreadID)
	}
}

// checkError checks an error both the lggateway way and the plain grpc-go way.
func checkError(t *testing.T, err error, code codes.Code, reason string) *lggateway.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", code)
	}
	if st, ok := status.FromError(err); !ok || st.Code() != code {
		t.Fatalf("status.FromError(%v) = %v, %v; want code %v", err, st, ok, code)
	}
	var gwErr *lggateway.Error
	if !errors.As(err, &gwErr) {
		t.Fatalf("%T is not an *lggateway.Error", err)
	}
	if gwErr.Code() != code || gwErr.Reason() != reason || gwErr.Info().GetDomain() != lggateway.ErrorDomain {
		t.Fatalf("code %v reason %q domain %q; want %v %q %q",
			gwErr.Code(), gwErr.Reason(), gwErr.Info().GetDomain(), code, reason, lggateway.ErrorDomain)
	}
	if lggateway.ErrorInfo(err) != gwErr.Info() {
		t.Fatal("ErrorInfo(err) differs from Info()")
	}
	return gwErr
}

func TestFailingStreamIsInternal(t *testing.T) {
	client, ctx := connect(t)
	stream, err := client.Runs().Stream(ctx, &gatewayv1.StreamRunRequest{
		AssistantId: "agent",
		Input:       userInput("FAIL x"),
		StreamMode:  []string{"updates"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var streamErr error
	for ev, err := range stream.Events() {
		if err != nil {
			streamErr = err
			break
		}
		names = append(names, ev.Event)
	}
	if len(names) == 0 || names[len(names)-1] != "error" {
		t.Errorf("events = %q, want the last to be \"error\"", names)
	}
	gwErr := checkError(t, streamErr, codes.Internal, "RUN_FAILED")
	if gwErr.Metadata()["error"] != "ValueError" || gwErr.Metadata()["message"] != "boom: FAIL x" {
		t.Errorf("metadata = %v", gwErr.Metadata())
	}
}

func TestFailingWaitIsInternal(t *testing.T) {
	client, ctx := connect(t)
	_, err := client.Runs().Wait(ctx, &gatewayv1.WaitRunRequest{AssistantId: "agent", Input: userInput("FAIL x")})
	checkError(t, err, codes.Internal, "RUN_FAILED")
}

func TestUnknownAssistantIsInvalidArgument(t *testing.T) {
	client, ctx := connect(t)
	t.Run("stream", func(t *testing.T) {
		t.Parallel()
		stream, err := client.Runs().Stream(ctx, &gatewayv1.StreamRunRequest{AssistantId: "nope", Input: userInput("hi")})
		if err == nil {
			_, err = stream.Recv()
		}
		gwErr := checkError(t, err, codes.InvalidArgument, "UPSTREAM_HTTP_ERROR")
		if gwErr.HTTPStatus() != 422 {
			t.Errorf("http status %d, want 422", gwErr.HTTPStatus())
		}
		if stream != nil && stream.RunID() != "" {
			t.Errorf("run id %q for a refused run", stream.RunID())
		}
	})
	t.Run("wait", func(t *testing.T) {
		t.Parallel()
		_, err := client.Runs().Wait(ctx, &gatewayv1.WaitRunRequest{AssistantId: "nope", Input: userInput("hi")})
		checkError(t, err, codes.InvalidArgument, "UPSTREAM_HTTP_ERROR")
	})
}

func TestLeavingTheLoopEndsTheCall(t *testing.T) {
	client, ctx := connect(t)
	stream, err := client.Runs().Stream(ctx, &gatewayv1.StreamRunRequest{
		AssistantId: "agent", Input: userInput("hi"), StreamMode: []string{"updates"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for ev, err := range stream.Events() {
		if err != nil || ev.Event != "metadata" {
			t.Fatalf("first event %v, %v", ev, err)
		}
		break
	}
	if _, err := stream.Recv(); status.Code(err) != codes.Canceled {
		t.Fatalf("Recv after leaving the loop: %v, want Canceled", err)
	}
}
