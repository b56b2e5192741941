package lggateway

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	gatewayv1 "github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/gen/langgraph_gateway/v1"
)

// Runs calls the gateway's RunsService.
type Runs struct {
	rpc gatewayv1.RunsServiceClient
}

// RPC is the generated RunsService client, for calls this wrapper does not cover.
func (r *Runs) RPC() gatewayv1.RunsServiceClient { return r.rpc }

// Stream starts a run and streams its events (RunsService.StreamRun). Read them with
// [RunStream.Recv] or [RunStream.Events]. Cancelling ctx (or [RunStream.Close]) ends the call and
// the gateway drops the upstream connection; the run itself then follows its on_disconnect
// policy. Errors, here or from Recv, are *[Error] whenever they carry a gRPC status.
func (r *Runs) Stream(ctx context.Context, req *gatewayv1.StreamRunRequest, opts ...grpc.CallOption) (*RunStream, error) {
	ctx, cancel := context.WithCancel(ctx)
	s, err := r.rpc.StreamRun(ctx, req, opts...)
	if err != nil {
		cancel()
		return nil, wrap(err)
	}
	return &RunStream{stream: s, cancel: cancel}, nil
}

// Wait starts a run and waits for its final state (RunsService.WaitRun). A run that fails is an
// *[Error] with codes.Internal and reason "RUN_FAILED".
func (r *Runs) Wait(ctx context.Context, req *gatewayv1.WaitRunRequest, opts ...grpc.CallOption) (*WaitResult, error) {
	var header, trailer metadata.MD
	resp, err := r.rpc.WaitRun(ctx, req, append(opts, grpc.Header(&header), grpc.Trailer(&trailer))...)
	if err != nil {
		return nil, wrap(err)
	}
	return &WaitResult{
		Values:   resp.GetValues().AsInterface(),
		RunID:    resp.GetRunId(),
		ThreadID: resp.GetThreadId(),
		Header:   header,
		Trailer:  trailer,
		Response: resp,
	}, nil
}

// WaitResult is the answer of [Runs.Wait].
type WaitResult struct {
	// Values is the run's final state as plain Go values (usually a map[string]any), exactly as
	// the server answered it, "__interrupt__" included.
	Values any
	// RunID and ThreadID identify the run (a stateless run gets a temporary thread).
	RunID, ThreadID string
	// Header is the call's initial metadata: the run's ids (RunIDHeader, ThreadIDHeader) when
	// the request set NotifyRunCreated, sent as soon as the run was created.
	Header metadata.MD
	// Trailer is the call's trailing metadata: the run's ids, unless they came in Header.
	Trailer metadata.MD
	// Response is the message as received.
	Response *gatewayv1.WaitRunResponse
}

// State is Values as a map, or nil when the final state is not a JSON object.
func (w *WaitResult) State() map[string]any {
	m, _ := w.Values.(map[string]any)
	return m
}

// Decode stores Values in the value pointed to by v, through JSON (struct tags apply).
func (w *WaitResult) Decode(v any) error { return decode(w.Values, v) }

// Event is one event of a streamed run: one Server-Sent Event of the upstream, in order.
type Event struct {
	// Event is the name exactly as sent: "metadata", "updates", "updates|inner:<task id>",
	// "messages", "custom", "error", ...
	Event string
	// Mode is the stream mode, the name before any "|"; Namespace the subgraph parts after it.
	Mode      string
	Namespace []string
	// ID is the SSE id, "" unless the run is stream_resumable.
	ID string
	// Data is the payload as plain Go values (map[string]any, []any, string, float64, bool), or
	// nil when the event carried none.
	Data any
	// Message is the message as received.
	Message *gatewayv1.StreamRunResponse
}

// Decode stores Data in the value pointed to by v, through JSON (struct tags apply).
func (e *Event) Decode(v any) error { return decode(e.Data, v) }

func newEvent(m *gatewayv1.StreamRunResponse) *Event {
	var data any
	if m.GetData() != nil {
		data = m.GetData().AsInterface()
	}
	return &Event{Event: m.GetEvent(), Mode: m.GetMode(), Namespace: m.GetNamespace(), ID: m.GetId(), Data: data, Message: m}
}

// RunStream is a streaming run. Its methods are not safe for concurrent use, except Close.
type RunStream struct {
	stream grpc.ServerStreamingClient[gatewayv1.StreamRunResponse]
	cancel context.CancelFunc
	closed atomic.Bool // Close was called: Recv answers Canceled from then on

	headerOnce sync.Once
	header     metadata.MD
	headerErr  error
}

// Header waits for the initial metadata of the call (sent before the first event) and returns it.
func (s *RunStream) Header() (metadata.MD, error) {
	s.headerOnce.Do(func() {
		s.header, s.headerErr = s.stream.Header()
		s.headerErr = wrap(s.headerErr)
	})
	return s.header, s.headerErr
}

// RunID is the run's id from the initial metadata (x-langgraph-run-id), waiting for it if need
// be; "" when the call failed before the gateway sent it.
func (s *RunStream) RunID() string { return s.headerValue(RunIDHeader) }

// ThreadID is the run's thread id from the initial metadata (x-langgraph-thread-id), "" when the
// server named none.
func (s *RunStream) ThreadID() string { return s.headerValue(ThreadIDHeader) }

func (s *RunStream) headerValue(key string) string {
	md, err := s.Header()
	if err != nil {
		return ""
	}
	if v := md.Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Trailer is the call's trailing metadata, once Recv has returned an error or io.EOF.
func (s *RunStream) Trailer() metadata.MD { return s.stream.Trailer() }

// Recv returns the next event; io.EOF when the run is done, or the error that ended the call
// (an *[Error]: a failed run first delivers its "error" event, then codes.Internal).
func (s *RunStream) Recv() (*Event, error) {
	if s.closed.Load() {
		// grpc-go may still hand over a message it had buffered before the cancellation;
		// a closed stream answers Canceled every time instead.
		return nil, wrap(status.FromContextError(context.Canceled).Err())
	}
	m, err := s.stream.Recv()
	if err != nil {
		s.cancel() // the call is over: release its context
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, wrap(err)
	}
	return newEvent(m), nil
}

// Events iterates over the events until the run is done:
//
//	for ev, err := range stream.Events() { ... }
//
// The end of the run ends the loop; an error is yielded once, as (nil, err), and ends it too.
// Leaving the loop early cancels the call.
func (s *RunStream) Events() iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		for {
			ev, err := s.Recv()
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(ev, err) || err != nil {
				s.Close()
				return
			}
		}
	}
}

// Close cancels the call if it is still going. Safe to call more than once and concurrently.
func (s *RunStream) Close() {
	s.closed.Store(true)
	s.cancel()
}

func decode(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}
