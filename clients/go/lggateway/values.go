package lggateway

import (
	"encoding/json"
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

// Value converts a Go value to a google.protobuf.Value through its JSON encoding, so maps,
// slices, structs with json tags, json.RawMessage and numbers of any type all work. A
// *structpb.Value is returned as it is. Values JSON cannot carry (NaN, channels, ...) are errors.
func Value(v any) (*structpb.Value, error) {
	if pv, ok := v.(*structpb.Value); ok {
		return pv, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("lggateway: value: %w", err)
	}
	out := &structpb.Value{}
	if err := protojson.Unmarshal(b, out); err != nil {
		return nil, fmt.Errorf("lggateway: value: %w", err)
	}
	return out, nil
}

// MustValue is Value that panics on error, for literals.
func MustValue(v any) *structpb.Value {
	out, err := Value(v)
	if err != nil {
		panic(err)
	}
	return out
}

// Struct converts a Go value whose JSON encoding is an object (a map, a struct) to a
// google.protobuf.Struct, for config, context and metadata. A *structpb.Struct is returned as it is.
func Struct(v any) (*structpb.Struct, error) {
	if ps, ok := v.(*structpb.Struct); ok {
		return ps, nil
	}
	pv, err := Value(v)
	if err != nil {
		return nil, err
	}
	s := pv.GetStructValue()
	if s == nil {
		return nil, fmt.Errorf("lggateway: struct: %T does not encode to a JSON object", v)
	}
	return s, nil
}

// MustStruct is Struct that panics on error, for literals.
func MustStruct(v any) *structpb.Struct {
	out, err := Struct(v)
	if err != nil {
		panic(err)
	}
	return out
}
