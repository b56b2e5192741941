package lggateway

import (
	"errors"
	"strconv"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrorDomain is the ErrorInfo domain of the errors the gateway makes.
const ErrorDomain = "langgraph-grpc-gateway"

// Error is a call that ended with a gRPC status. It keeps the status (so status.FromError,
// status.Code and errors.As all work on it) and the gateway's google.rpc.ErrorInfo detail.
//
//	var gwErr *lggateway.Error
//	if errors.As(err, &gwErr) && gwErr.Code() == codes.Internal && gwErr.Reason() == "RUN_FAILED" { ... }
type Error struct {
	status *status.Status
	info   *errdetails.ErrorInfo
	err    error
}

// wrap turns an error carrying a gRPC status into an *Error; others (nil, io.EOF) pass unchanged.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	return &Error{status: st, info: errorInfo(st), err: err}
}

func errorInfo(st *status.Status) *errdetails.ErrorInfo {
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// Error is the gRPC error text: "rpc error: code = ... desc = ...".
func (e *Error) Error() string { return e.err.Error() }

// Unwrap is the error as grpc-go returned it.
func (e *Error) Unwrap() error { return e.err }

// GRPCStatus makes status.FromError and status.Code see the status.
func (e *Error) GRPCStatus() *status.Status { return e.status }

// Code is the gRPC status code.
func (e *Error) Code() codes.Code { return e.status.Code() }

// Message is the status message: the server's own detail, or the gateway's explanation.
func (e *Error) Message() string { return e.status.Message() }

// Info is the google.rpc.ErrorInfo detail, nil when the status carried none (e.g. a status made
// by grpc-go itself, like a deadline passing on the client).
func (e *Error) Info() *errdetails.ErrorInfo { return e.info }

// Reason is the ErrorInfo reason ("RUN_FAILED", "UPSTREAM_HTTP_ERROR", "INVALID_REQUEST", ...),
// "" without ErrorInfo.
func (e *Error) Reason() string { return e.info.GetReason() }

// Metadata is the ErrorInfo metadata (http_status, error, message, field, ...), nil without it.
func (e *Error) Metadata() map[string]string { return e.info.GetMetadata() }

// HTTPStatus is the upstream's HTTP status when the error came from one, else 0.
func (e *Error) HTTPStatus() int {
	n, err := strconv.Atoi(e.Metadata()["http_status"])
	if err != nil {
		return 0
	}
	return n
}

// ErrorInfo is the google.rpc.ErrorInfo detail of any error carrying a gRPC status (an *Error or
// one straight from grpc-go), nil when there is none.
func ErrorInfo(err error) *errdetails.ErrorInfo {
	var e *Error
	if errors.As(err, &e) {
		return e.info
	}
	st, ok := status.FromError(err)
	if !ok || err == nil {
		return nil
	}
	return errorInfo(st)
}
