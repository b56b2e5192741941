package lggateway_test

// The other services through the client's accessors, against the live gateway. The README's
// StoreService call is TestStoreReadmeCall, as written there.

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"reflect"
	"testing"

	"google.golang.org/grpc/codes"

	gatewayv1 "github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/gen/langgraph_gateway/v1"
	"github.com/langgraph-grpc-gateway/langgraph-grpc-gateway/clients/go/lggateway"
)

// uniqueLabel is a namespace label no other test (or run of this one) uses.
func uniqueLabel(t *testing.T) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "go-" + hex.EncodeToString(b)
}

func TestStoreReadmeCall(t *testing.T) {
	client, ctx := connect(t)
	user := uniqueLabel(t)

	// As in README.md ("Other services"):
	_, err := client.Store().PutItem(ctx, &gatewayv1.PutItemRequest{
		Namespace: []string{"users", user},
		Key:       "profile",
		Value:     lggateway.MustStruct(map[string]any{"name": "Ada", "langs": []string{"go"}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.Store().GetItem(ctx, &gatewayv1.GetItemRequest{Namespace: []string{"users", user}, Key: "profile"})
	if err != nil {
		t.Fatal(err)
	}
	item := got.GetItem()
	want := map[string]any{"name": "Ada", "langs": []any{"go"}}
	if !reflect.DeepEqual(item.GetValue().AsMap(), want) || item.GetKey() != "profile" {
		t.Fatalf("item = %v, want value %v", item, want)
	}
	if item.GetCreatedAt() == "" || item.Score != nil {
		t.Errorf("created_at %q, score %v", item.GetCreatedAt(), item.Score)
	}

	found, err := client.Store().SearchItems(ctx, &gatewayv1.SearchItemsRequest{
		NamespacePrefix: []string{"users", user},
		Filter:          lggateway.MustStruct(map[string]any{"name": "Ada"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found.GetItems()) != 1 || found.GetItems()[0].GetKey() != "profile" {
		t.Errorf("search found %v", found.GetItems())
	}
	listed, err := client.Store().ListNamespaces(ctx, &gatewayv1.ListNamespacesRequest{Prefix: []string{"users", user}})
	if err != nil {
		t.Fatal(err)
	}
	if len(listed.GetNamespaces()) != 1 || !reflect.DeepEqual(listed.GetNamespaces()[0].GetLabels(), []string{"users", user}) {
		t.Errorf("namespaces = %v", listed.GetNamespaces())
	}

	if _, err := client.Store().DeleteItem(ctx, &gatewayv1.DeleteItemRequest{Namespace: []string{"users", user}, Key: "profile"}); err != nil {
		t.Fatal(err)
	}
	gone, err := client.Store().GetItem(ctx, &gatewayv1.GetItemRequest{Namespace: []string{"users", user}, Key: "profile"})
	if err != nil {
		t.Fatal(err)
	}
	if gone.Item != nil {
		t.Errorf("deleted item still there: %v", gone.Item)
	}
}

func TestServiceErrorsAreTyped(t *testing.T) {
	client, ctx := connect(t)
	_, err := client.Threads().GetThread(ctx, &gatewayv1.GetThreadRequest{ThreadId: "00000000-0000-0000-0000-000000000000"})
	gwErr := checkError(t, err, codes.NotFound, "UPSTREAM_HTTP_ERROR")
	if gwErr.HTTPStatus() != 404 {
		t.Errorf("http status %d, want 404", gwErr.HTTPStatus())
	}
	_, err = client.Store().PutItem(ctx, &gatewayv1.PutItemRequest{Namespace: []string{"a.b"}, Key: "k"})
	var typed *lggateway.Error
	if !errors.As(err, &typed) || typed.Code() != codes.InvalidArgument {
		t.Errorf("dotted label: %v, want an *lggateway.Error with InvalidArgument", err)
	}
}
