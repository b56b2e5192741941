package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/internal/livetest"
)

// TestHumanInTheLoop runs the example against the live gateway: the run stops at the interrupt,
// the state shows it, the edit lands, and the resumed run's result holds the edited count (41,
// plus one by the post node) and the answer.
func TestHumanInTheLoop(t *testing.T) {
	addr := livetest.Address(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out strings.Builder
	if err := run(ctx, &out, addr, "ship it"); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		`stopped at: {"question":"approve?","text":"INTERRUPT please approve"}`,
		"next: [echo] question: approve?",
		"edited: count = 41 at checkpoint ",
		`result: {"count":42,"reply":"resumed with: ship it"}`,
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], w)
		}
	}
	if len(lines[2]) == len(want[2]) {
		t.Errorf("no checkpoint id in %q", lines[2])
	}
}
