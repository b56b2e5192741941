package lggateway_test

import (
	"errors"
	"io"
	"math"
	"reflect"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/lggateway"
)

// Unit tests: no gateway needed.

func TestValueRoundTrip(t *testing.T) {
	type msg struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	cases := []struct {
		name string
		in   any
		want any
	}{
		{"nil", nil, nil},
		{"string", "hi", "hi"},
		{"int", 3, 3.0},
		{"bool", true, true},
		{"typed slice", []msg{{"user", "hi"}}, []any{map[string]any{"role": "user", "content": "hi"}}},
		{"nested map", map[string]any{"a": []int{1, 2}, "b": map[string]string{"c": "d"}},
			map[string]any{"a": []any{1.0, 2.0}, "b": map[string]any{"c": "d"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := lggateway.Value(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.AsInterface(); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestValueRefusesNaN(t *testing.T) {
	if _, err := lggateway.Value(math.NaN()); err == nil {
		t.Fatal("NaN converted without error")
	}
}

func TestStruct(t *testing.T) {
	s, err := lggateway.Struct(map[string]any{"configurable": map[string]any{"k": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.AsMap()["configurable"].(map[string]any)["k"]; got != 1.0 {
		t.Fatalf("got %v", got)
	}
	if _, err := lggateway.Struct([]int{1}); err == nil {
		t.Fatal("a list became a Struct")
	}
	same := &structpb.Struct{}
	if got := lggateway.MustStruct(same); got != same {
		t.Fatal("a *structpb.Struct was not passed through")
	}
}

func TestErrorInfoOfPlainStatusError(t *testing.T) {
	st, err := status.New(codes.Internal, "run failed: ValueError: boom").WithDetails(&errdetails.ErrorInfo{
		Reason: "RUN_FAILED", Domain: lggateway.ErrorDomain, Metadata: map[string]string{"error": "ValueError"},
	})
	if err != nil {
		t.Fatal(err)
	}
	info := lggateway.ErrorInfo(st.Err())
	if info.GetReason() != "RUN_FAILED" || info.GetMetadata()["error"] != "ValueError" {
		t.Fatalf("ErrorInfo = %v", info)
	}
	if lggateway.ErrorInfo(nil) != nil || lggateway.ErrorInfo(io.EOF) != nil {
		t.Fatal("ErrorInfo of a non-status error")
	}
	if errors.Is(st.Err(), io.EOF) {
		t.Fatal("unexpected")
	}
}
