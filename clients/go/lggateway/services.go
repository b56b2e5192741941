package lggateway

import (
	"context"

	"google.golang.org/grpc"

	gatewayv1 "github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/gen/langgraph_gateway/v1"
)

// Assistants is the generated AssistantsService client on the client's connection; its errors
// are *[Error] whenever they carry a gRPC status, as with [Runs].
func (c *Client) Assistants() gatewayv1.AssistantsServiceClient {
	return gatewayv1.NewAssistantsServiceClient(c.typed)
}

// Threads is the generated ThreadsService client (threads, their state and history, copies,
// JoinThreadStream); errors are *[Error].
func (c *Client) Threads() gatewayv1.ThreadsServiceClient {
	return gatewayv1.NewThreadsServiceClient(c.typed)
}

// Crons is the generated CronsService client (runs on a schedule); errors are *[Error].
func (c *Client) Crons() gatewayv1.CronsServiceClient {
	return gatewayv1.NewCronsServiceClient(c.typed)
}

// Store is the generated StoreService client (the long-term memory shared across threads);
// errors are *[Error].
func (c *Client) Store() gatewayv1.StoreServiceClient {
	return gatewayv1.NewStoreServiceClient(c.typed)
}

// typedErrors is a connection whose calls report a gRPC status as an *Error, so the generated
// clients of every service fail the way Runs does. io.EOF and other errors pass unchanged.
type typedErrors struct{ grpc.ClientConnInterface }

func (c typedErrors) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	return wrap(c.ClientConnInterface.Invoke(ctx, method, args, reply, opts...))
}

func (c typedErrors) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	s, err := c.ClientConnInterface.NewStream(ctx, desc, method, opts...)
	if err != nil {
		return nil, wrap(err)
	}
	return typedStream{s}, nil
}

type typedStream struct{ grpc.ClientStream }

func (s typedStream) RecvMsg(m any) error { return wrap(s.ClientStream.RecvMsg(m)) }
func (s typedStream) SendMsg(m any) error { return wrap(s.ClientStream.SendMsg(m)) }
