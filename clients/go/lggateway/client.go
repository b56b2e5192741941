package lggateway

import (
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	gatewayv1 "github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/gen/langgraph_gateway/v1"
)

// Metadata keys of the initial metadata (response headers) the gateway sends before the first
// message of a run.
const (
	RunIDHeader    = "x-langgraph-run-id"
	ThreadIDHeader = "x-langgraph-thread-id"
)

// Client is a connection to a gateway. It is safe for concurrent use.
type Client struct {
	conn  grpc.ClientConnInterface
	typed grpc.ClientConnInterface // conn, with errors as *Error (services.go)
	owned *grpc.ClientConn         // closed by Close; nil when the caller owns the connection
	runs  *Runs
}

// Dial creates a client for the gateway at addr ("host:port"). The connection is plaintext
// unless opts carry transport credentials (e.g. grpc.WithTransportCredentials with TLS); other
// options (interceptors, keepalive, ...) pass to grpc.NewClient as they are. Like grpc.NewClient,
// Dial does not wait for the connection: the first call does.
func Dial(addr string, opts ...grpc.DialOption) (*Client, error) {
	all := append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, opts...)
	conn, err := grpc.NewClient(addr, all...)
	if err != nil {
		return nil, fmt.Errorf("lggateway: dial %s: %w", addr, err)
	}
	c := New(conn)
	c.owned = conn
	return c, nil
}

// New creates a client on a connection the caller made and keeps owning (Close leaves it open).
func New(conn grpc.ClientConnInterface) *Client {
	return &Client{conn: conn, typed: typedErrors{conn}, runs: &Runs{rpc: gatewayv1.NewRunsServiceClient(conn)}}
}

// Runs is the RunsService: streaming and waiting runs.
func (c *Client) Runs() *Runs { return c.runs }

// Conn is the underlying connection, for the generated clients of any service of the gateway:
// gatewayv1.NewXxxServiceClient(client.Conn()) (errors then straight from grpc-go; Assistants,
// Threads, Crons and Store give them as *Error).
func (c *Client) Conn() grpc.ClientConnInterface { return c.conn }

// Close closes the connection if Dial made it. Calls in flight are cancelled.
func (c *Client) Close() error {
	if c.owned == nil {
		return nil
	}
	return c.owned.Close()
}
