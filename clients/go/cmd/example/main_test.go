package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/internal/livetest"
)

// TestExample runs the example against the live gateway and checks what it prints.
func TestExample(t *testing.T) {
	addr := livetest.Address(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out strings.Builder
	if err := run(ctx, &out, addr, "agent", "hi"); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	prefixes := []string{"run ", "metadata: {", `updates: {"echo":`, `updates: {"post":{"count":1}}`, "wait run "}
	if len(lines) != len(prefixes) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(prefixes), out.String())
	}
	for i, p := range prefixes {
		if !strings.HasPrefix(lines[i], p) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], p)
		}
	}
	if !strings.Contains(lines[2], `"content":"echo: hi"`) || !strings.Contains(lines[4], `"count":1`) {
		t.Errorf("unexpected output:\n%s", out.String())
	}
}
