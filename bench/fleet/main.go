// Command fleet opens many concurrent token streams from one process, through the gateway (gRPC,
// the generated Go client as a Go service would use it) or directly (HTTP/1.1 + SSE, net/http),
// and reports how late each event arrives.
//
// Each stream asks the fast upstream (bench/fast_upstream.py) for `messages` events at -rate per
// second, each stamped with the time the upstream wrote it (`t`). The fleet prints "open" once
// every stream has its first message, then one JSON line with the counts and delays (seconds).
// It is Go, not Python, so that the load generator keeps up: a Python fleet of 2,000 streams
// fills its own core, and its lateness would be counted as the gateway's.
//
//	fleet -via grpc -target 127.0.0.1:50051 -streams 2000 -seconds 22 -ramp 10 -raw
//	fleet -via http -target http://127.0.0.1:8123 -streams 2000 -seconds 22 -ramp 10
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"sort"
	"sync"
	"syscall"
	"time"

	gatewayv1 "github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/gen/langgraph_gateway/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
)

type config struct {
	via, target         string
	streams, perChannel int
	rate, seconds, ramp float64
	raw                 bool
	deadline            time.Duration // each call's deadline; 0: none
}

// tally collects every stream's delays; streams report to it from their own goroutines.
type tally struct {
	mu             sync.Mutex
	streams        int
	finished       int       // streams that ended, well or not
	openings       []float64 // seconds from each call's start to its first message, one per stream opened
	delays, steady []float64
	steadyFrom     float64 // unix seconds; delays of events received after it are the steady state
	errors         map[string]int
	allOpen        chan struct{}
}

func newTally(streams int) *tally {
	return &tally{streams: streams, steadyFrom: 1e300, errors: map[string]int{}, allOpen: make(chan struct{})}
}

func (t *tally) open(since time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.openings = append(t.openings, time.Since(since).Seconds())
	if len(t.openings) == t.streams {
		close(t.allOpen)
	}
}

func (t *tally) add(now, stamp float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.delays = append(t.delays, now-stamp)
	if now >= t.steadyFrom {
		t.steady = append(t.steady, now-stamp)
	}
}

func (t *tally) fail(reason string) {
	if len(reason) > 120 {
		reason = reason[:120]
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errors[reason]++
}

func unixNow() float64 { return float64(time.Now().UnixNano()) / 1e9 }

var errNoStamp = errors.New("event without a stamp")

// stampOfJSON is the `t` of an event's data as the upstream wrote it: [chunk, metadata].
func stampOfJSON(data []byte) (float64, error) {
	var parts []struct {
		T *float64 `json:"t"`
	}
	if err := json.Unmarshal(data, &parts); err != nil {
		return 0, err
	}
	if len(parts) == 0 || parts[0].T == nil {
		return 0, errNoStamp
	}
	return *parts[0].T, nil
}

func stampOfValue(data *structpb.Value) (float64, error) {
	items := data.GetListValue().GetValues()
	if len(items) == 0 {
		return 0, errNoStamp
	}
	t, ok := items[0].GetStructValue().GetFields()["t"]
	if !ok {
		return 0, errNoStamp
	}
	return t.GetNumberValue(), nil
}

func knobs(c config) map[string]any {
	return map[string]any{"events": int(c.rate * c.seconds), "mode": "messages", "rate": c.rate, "stamp": true}
}

// grpcStream reads one StreamRun through the gateway; it returns the number of events.
func grpcStream(client gatewayv1.RunsServiceClient, req *gatewayv1.StreamRunRequest, c config, t *tally) (int, error) {
	start := time.Now()
	ctx := context.Background()
	if c.deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.deadline)
		defer cancel()
	}
	stream, err := client.StreamRun(ctx, req)
	if err != nil {
		return 0, err
	}
	count, opened := 0, false
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, err
		}
		now := unixNow()
		if !opened {
			opened = true
			t.open(start)
		}
		if msg.GetEvent() == "metadata" {
			continue
		}
		var stamp float64
		if c.raw {
			stamp, err = stampOfJSON(msg.GetDataJson())
		} else {
			stamp, err = stampOfValue(msg.GetData())
		}
		if err != nil {
			return count, err
		}
		t.add(now, stamp)
		count++
	}
}

// httpStream reads one POST /runs/stream straight from the upstream.
func httpStream(client *http.Client, url string, body []byte, t *tally) (int, error) {
	start := time.Now()
	answer, err := client.Post(url+"/runs/stream", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer answer.Body.Close()
	if answer.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d", answer.StatusCode)
	}
	lines := bufio.NewReaderSize(answer.Body, 64<<10)
	count, opened := 0, false
	for {
		line, err := lines.ReadSlice('\n')
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, err
		}
		data, found := bytes.CutPrefix(line, []byte("data: "))
		if !found {
			continue
		}
		now := unixNow()
		if !opened {
			opened = true
			t.open(start)
		}
		if data[0] != '[' { // the metadata event's data is an object
			continue
		}
		stamp, err := stampOfJSON(bytes.TrimRight(data, "\r\n"))
		if err != nil {
			return count, err
		}
		t.add(now, stamp)
		count++
	}
}

func cpuSeconds() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds()
}

// percentile of values already sorted: nearest rank, as bench/stats.py's percentile.
func percentile(sorted []float64, q float64) any {
	if len(sorted) == 0 {
		return nil // JSON null: no event
	}
	return sorted[max(0, min(len(sorted)-1, int(math.Round(q/100*float64(len(sorted))+0.5))-1))]
}

// starters returns one function per stream that runs it to its end and reports to t. The
// connections stay open until the process exits.
func starters(c config, t *tally) ([]func(), error) {
	expected := int(c.rate * c.seconds)
	check := func(count int, err error) {
		t.mu.Lock()
		t.finished++
		t.mu.Unlock()
		if err != nil {
			if s, ok := status.FromError(err); ok {
				t.fail(s.Code().String() + ": " + s.Message())
			} else {
				t.fail(err.Error())
			}
		} else if count != expected {
			t.fail(fmt.Sprintf("%d of %d events", count, expected))
		}
	}
	runs := make([]func(), c.streams)
	if c.via == "http" {
		body, _ := json.Marshal(map[string]any{"assistant_id": "agent", "input": knobs(c), "stream_mode": []string{"messages-tuple"}})
		transport := &http.Transport{MaxIdleConnsPerHost: c.streams, DisableCompression: true}
		client := &http.Client{Transport: transport}
		for i := range runs {
			runs[i] = func() { check(httpStream(client, c.target, body, t)) }
		}
		return runs, nil
	}
	input, err := structpb.NewValue(knobs(c))
	if err != nil {
		return nil, err
	}
	req := &gatewayv1.StreamRunRequest{AssistantId: "agent", Input: input, StreamMode: []string{"messages-tuple"}}
	if c.raw {
		req.DataFormat = gatewayv1.DataFormat_DATA_FORMAT_JSON
	}
	// Many clients, as in production, rather than one connection for all; default client
	// settings (so grpc-go's BDP estimator pings the server as it does in a real service).
	var conns []*grpc.ClientConn
	for i := 0; i < c.streams; i += c.perChannel {
		conn, err := grpc.NewClient(c.target, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return nil, err
		}
		conns = append(conns, conn)
	}
	for i := range runs {
		client := gatewayv1.NewRunsServiceClient(conns[i/c.perChannel])
		runs[i] = func() { check(grpcStream(client, req, c, t)) }
	}
	return runs, nil
}

func run(c config) (map[string]any, error) {
	t := newTally(c.streams)
	runs, err := starters(c, t)
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	started := time.Now()
	for i, stream := range runs {
		// Open the streams evenly over the ramp, as clients arriving, rather than in one burst.
		time.Sleep(time.Until(started.Add(time.Duration(float64(i) * c.ramp / float64(c.streams) * float64(time.Second)))))
		wg.Add(1)
		go func() { defer wg.Done(); stream() }()
	}
	select {
	case <-t.allOpen:
	case <-time.After(time.Duration((c.ramp + 10) * float64(time.Second))):
	}
	t.mu.Lock()
	t.steadyFrom = unixNow() + 1
	t.mu.Unlock()
	fmt.Println("open")
	cpuOpen, openAt := cpuSeconds(), time.Now()
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(time.Until(started.Add(time.Duration((c.ramp + c.seconds + 30) * float64(time.Second))))):
	}
	cpuPercent := 100 * (cpuSeconds() - cpuOpen) / max(time.Since(openAt).Seconds(), 1e-9)
	t.mu.Lock()
	defer t.mu.Unlock()
	// Bounded time: a stream still going 30 s after its end counts as an error. The result is
	// taken now; the streams still going are cut when the process exits.
	if late := c.streams - t.finished; late > 0 {
		t.errors["not finished 30 s after its end"] += late
	}
	for _, values := range [][]float64{t.openings, t.delays, t.steady} {
		sort.Float64s(values) // once each: the percentiles below read them sorted
	}
	maxDelay := 0.0
	if len(t.delays) > 0 {
		maxDelay = t.delays[len(t.delays)-1]
	}
	return map[string]any{
		"streams": c.streams, "opened": len(t.openings), "events": len(t.delays), "errors": t.errors,
		"open_p50": percentile(t.openings, 50), "open_p99": percentile(t.openings, 99),
		"p50": percentile(t.delays, 50), "p90": percentile(t.delays, 90), "p99": percentile(t.delays, 99),
		"max": maxDelay, "client_cpu_percent": cpuPercent, "steady_events": len(t.steady),
		"steady_p50": percentile(t.steady, 50), "steady_p99": percentile(t.steady, 99),
	}, nil
}

func main() {
	var c config
	flag.StringVar(&c.via, "via", "", "grpc (through the gateway) or http (direct to the upstream)")
	flag.StringVar(&c.target, "target", "", "host:port of the gateway, or the upstream's URL")
	flag.IntVar(&c.streams, "streams", 0, "concurrent streams")
	flag.IntVar(&c.perChannel, "per-channel", 100, "streams per gRPC connection")
	flag.Float64Var(&c.rate, "rate", 10, "events per second per stream")
	flag.Float64Var(&c.seconds, "seconds", 12, "each stream's length")
	flag.Float64Var(&c.ramp, "ramp", 2, "seconds over which the streams open")
	flag.BoolVar(&c.raw, "raw", false, "DATA_FORMAT_JSON (gRPC only)")
	flag.DurationVar(&c.deadline, "deadline", 0, "each call's deadline, as a Go duration (gRPC only; 0: none)")
	flag.Parse()
	if (c.via != "grpc" && c.via != "http") || c.target == "" || c.streams <= 0 || c.perChannel <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	result, err := run(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		os.Exit(1)
	}
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
}
