//! `google.protobuf.Value` / `Struct` <-> `serde_json::Value`, both ways.
//!
//! Protobuf has one number type (a double). Going to JSON, a whole number that a double holds
//! exactly (|n| <= 2^53) becomes a JSON integer, so `{"count": 1}` comes back as `1`, not `1.0`;
//! other numbers stay floats. NaN and infinities (which JSON cannot hold) become `null`.

use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value};
use serde_json::{Map, Number, Value as Json};

const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0; // 2^53

/// Converts a protobuf `Value` to JSON.
pub fn to_json(value: &Value) -> Json {
    match &value.kind {
        None | Some(Kind::NullValue(_)) => Json::Null,
        Some(Kind::BoolValue(b)) => Json::Bool(*b),
        Some(Kind::NumberValue(n)) => number_to_json(*n),
        Some(Kind::StringValue(s)) => Json::String(s.clone()),
        Some(Kind::ListValue(list)) => Json::Array(list.values.iter().map(to_json).collect()),
        Some(Kind::StructValue(s)) => Json::Object(struct_to_json(s)),
    }
}

/// Converts a protobuf `Struct` to a JSON object.
pub fn struct_to_json(value: &Struct) -> Map<String, Json> {
    value.fields.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()
}

/// Converts JSON to a protobuf `Value`.
pub fn from_json(value: &Json) -> Value {
    let kind = match value {
        Json::Null => Kind::NullValue(prost_types::NullValue::NullValue as i32),
        Json::Bool(b) => Kind::BoolValue(*b),
        Json::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or(f64::NAN)),
        Json::String(s) => Kind::StringValue(s.clone()),
        Json::Array(items) => Kind::ListValue(ListValue { values: items.iter().map(from_json).collect() }),
        Json::Object(map) => Kind::StructValue(struct_from_json(map)),
    };
    Value { kind: Some(kind) }
}

/// Converts a JSON object to a protobuf `Struct`.
pub fn struct_from_json(map: &Map<String, Json>) -> Struct {
    Struct { fields: map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect() }
}

fn number_to_json(n: f64) -> Json {
    if n.is_finite() && n.fract() == 0.0 && n.abs() <= MAX_EXACT_INTEGER {
        // Exact: the check above keeps the value inside i64 and integral.
        return Json::from(n as i64);
    }
    Number::from_f64(n).map_or(Json::Null, Json::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip() {
        let original = json!({
            "messages": [{"role": "user", "content": "hi", "tags": []}],
            "count": 1, "ratio": 0.5, "negative": -3, "big": 9007199254740992_i64,
            "flag": true, "nothing": null, "nested": {"a": {"b": [1, "two", false, null]}}
        });
        assert_eq!(to_json(&from_json(&original)), original);
    }

    #[test]
    fn numbers() {
        let num = |n: f64| to_json(&Value { kind: Some(Kind::NumberValue(n)) });
        assert_eq!(num(1.0), json!(1));
        assert_eq!(num(-0.0), json!(0));
        assert_eq!(num(2.5), json!(2.5));
        assert_eq!(num(1e300), json!(1e300));
        assert_eq!(num(f64::NAN), Json::Null);
        assert_eq!(num(f64::INFINITY), Json::Null);
    }

    #[test]
    fn unset_kind_is_null() {
        assert_eq!(to_json(&Value { kind: None }), Json::Null);
    }

    #[test]
    fn structs() {
        let map = json!({"a": 1, "b": {"c": "d"}}).as_object().unwrap().clone();
        let s = struct_from_json(&map);
        assert_eq!(s.fields.len(), 2);
        assert_eq!(struct_to_json(&s), map);
    }
}
