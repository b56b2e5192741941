// Package livetest gives tests the address of a live gateway.
package livetest

import (
	"os"
	"testing"
)

// AddressEnv names the gateway to test against, as host:port (plaintext).
const AddressEnv = "LANGGRAPH_GATEWAY_ADDRESS"

// RequiredEnv, set to a non-empty value (test.sh does), makes a missing AddressEnv a failure
// instead of a skip.
const RequiredEnv = "LANGGRAPH_GATEWAY_REQUIRED"

// Address is the gateway's address. Without it the test fails when RequiredEnv is set (as in
// test.sh) and is skipped otherwise (a plain `go test ./...` on a machine with no gateway).
func Address(t testing.TB) string {
	t.Helper()
	addr := os.Getenv(AddressEnv)
	if addr != "" {
		return addr
	}
	if os.Getenv(RequiredEnv) != "" {
		t.Fatalf("%s is not set: these tests need a live gateway (host:port)", AddressEnv)
	}
	t.Skipf("%s is not set: no live gateway to test against", AddressEnv)
	return ""
}
