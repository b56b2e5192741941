// google.protobuf.Value / Struct / ListValue <-> plain JavaScript values.
//
// Pure functions, no gRPC: the object shapes here are what protobufjs' `fromObject` takes and
// `toObject` gives (`{ structValue: { fields: { ... } } }`). protobufjs ships google/protobuf/
// struct.proto with camelCase field names (`nullValue`, ...); a Value read from a .proto file with
// keepCase has snake_case ones (`null_value`, ...). Encoding takes the names to use (camelCase by
// default); decoding accepts both.
//
// JavaScript -> Value follows JSON.stringify: `toJSON()` is honoured (Date -> ISO string),
// `undefined`, functions and symbols are dropped from objects and become null in arrays. What JSON
// cannot hold is refused with a TypeError instead of being silently changed: NaN and ±Infinity,
// bigints beyond 2^53, Map and Set, cycles, and `undefined` itself at the top.

/** Any JSON value, as plain JavaScript. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object, as a plain JavaScript object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The names of google.protobuf.Value's fields, in the object form protobufjs uses. */
export interface ValueFieldNames {
  null: string;
  number: string;
  string: string;
  bool: string;
  struct: string;
  list: string;
}

/** protobufjs' bundled struct.proto (what `import "google/protobuf/struct.proto"` loads). */
export const CAMEL_CASE_NAMES: ValueFieldNames = {
  null: "nullValue",
  number: "numberValue",
  string: "stringValue",
  bool: "boolValue",
  struct: "structValue",
  list: "listValue",
};

/** struct.proto read from a file with keepCase. */
export const SNAKE_CASE_NAMES: ValueFieldNames = {
  null: "null_value",
  number: "number_value",
  string: "string_value",
  bool: "bool_value",
  struct: "struct_value",
  list: "list_value",
};

/** google.protobuf.Value in protobufjs object form: exactly one member set. */
export type ProtoValue = Record<string, unknown>;
/** google.protobuf.Struct in protobufjs object form. */
export interface ProtoStruct {
  fields: Record<string, ProtoValue>;
}
/** google.protobuf.ListValue in protobufjs object form. */
export interface ProtoListValue {
  values: ProtoValue[];
}

type Path = string;

function describe(path: Path): string {
  return path === "" ? "value" : path;
}

function isPlainObjectLike(value: object): boolean {
  return !(value instanceof Map || value instanceof Set || value instanceof WeakMap || value instanceof WeakSet);
}

/** True for what JSON.stringify leaves out of an object. */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

function withToJSON(value: unknown, key: string): unknown {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  return value;
}

class Encoder {
  private readonly seen = new Set<object>();

  constructor(private readonly names: ValueFieldNames) {}

  value(raw: unknown, path: Path, key: string): ProtoValue {
    const value = withToJSON(raw, key);
    if (value === null) return { [this.names.null]: "NULL_VALUE" };
    switch (typeof value) {
      case "boolean":
        return { [this.names.bool]: value };
      case "string":
        return { [this.names.string]: value };
      case "number":
        if (!Number.isFinite(value)) {
          throw new TypeError(`${describe(path)}: ${value} is not a JSON number`);
        }
        return { [this.names.number]: value };
      case "bigint":
        if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new TypeError(`${describe(path)}: bigint ${value} does not fit a JSON number (a double)`);
        }
        return { [this.names.number]: Number(value) };
      case "object":
        if (Array.isArray(value)) return { [this.names.list]: this.list(value, path) };
        return { [this.names.struct]: this.struct(value, path) };
      default:
        throw new TypeError(`${describe(path)}: ${typeof value} is not JSON`);
    }
  }

  struct(value: object, path: Path): ProtoStruct {
    if (!isPlainObjectLike(value)) {
      throw new TypeError(`${describe(path)}: ${value.constructor.name} is not JSON; convert it first (Object.fromEntries, Array.from)`);
    }
    this.enter(value, path);
    const fields: Record<string, ProtoValue> = {};
    for (const [key, raw] of Object.entries(value)) {
      const item = withToJSON(raw, key);
      if (isSkipped(item)) continue;
      fields[key] = this.value(item, `${path}.${key}`, key);
    }
    this.seen.delete(value);
    return { fields };
  }

  list(value: readonly unknown[], path: Path): ProtoListValue {
    this.enter(value, path);
    const values = value.map((raw, index) => {
      const item = withToJSON(raw, String(index));
      return isSkipped(item) ? { [this.names.null]: "NULL_VALUE" } : this.value(item, `${path}[${index}]`, String(index));
    });
    this.seen.delete(value);
    return { values };
  }

  private enter(value: object, path: Path): void {
    if (this.seen.has(value)) throw new TypeError(`${describe(path)}: circular reference`);
    this.seen.add(value);
  }
}

/** Plain JavaScript -> google.protobuf.Value (protobufjs object form). */
export function toValue(value: unknown, names: ValueFieldNames = CAMEL_CASE_NAMES, path = ""): ProtoValue {
  const item = withToJSON(value, "");
  if (isSkipped(item)) throw new TypeError(`${describe(path)}: ${typeof item} is not JSON`);
  return new Encoder(names).value(item, path, "");
}

/** A plain JavaScript object -> google.protobuf.Struct (protobufjs object form). */
export function toStruct(value: unknown, names: ValueFieldNames = CAMEL_CASE_NAMES, path = ""): ProtoStruct {
  const item = withToJSON(value, "");
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    throw new TypeError(`${describe(path)}: a Struct must be a plain object, not ${item === null ? "null" : Array.isArray(item) ? "an array" : typeof item}`);
  }
  return new Encoder(names).struct(item, path);
}

/** A JavaScript array -> google.protobuf.ListValue (protobufjs object form). */
export function toListValue(value: unknown, names: ValueFieldNames = CAMEL_CASE_NAMES, path = ""): ProtoListValue {
  const item = withToJSON(value, "");
  if (!Array.isArray(item)) throw new TypeError(`${describe(path)}: a ListValue must be an array`);
  return new Encoder(names).list(item, path);
}

function member(value: Record<string, unknown>, camel: string, snake: string): unknown {
  const a = value[camel];
  if (a !== undefined && a !== null) return a;
  const b = value[snake];
  if (b !== undefined && b !== null) return b;
  return undefined;
}

/**
 * google.protobuf.Value (protobufjs object or message form) -> plain JavaScript.
 * An unset Value (null/undefined) is `undefined`; a Value with no member set is `null`.
 */
export function fromValue(value: unknown): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object") throw new TypeError(`not a google.protobuf.Value: ${typeof value}`);
  const v = value as Record<string, unknown>;
  if (member(v, "nullValue", "null_value") !== undefined) return null;
  const num = member(v, "numberValue", "number_value");
  if (num !== undefined) return Number(num);
  const str = member(v, "stringValue", "string_value");
  if (str !== undefined) return String(str);
  const bool = member(v, "boolValue", "bool_value");
  if (bool !== undefined) return Boolean(bool);
  const struct = member(v, "structValue", "struct_value");
  if (struct !== undefined) return fromStruct(struct);
  const list = member(v, "listValue", "list_value");
  if (list !== undefined) return fromListValue(list);
  return null;
}

/** google.protobuf.Struct -> a plain object (an unset Struct is `undefined`). */
export function fromStruct(struct: unknown): JsonObject | undefined {
  if (struct === null || struct === undefined) return undefined;
  const fields = (struct as { fields?: Record<string, unknown> | null }).fields ?? {};
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(fields)) {
    const converted = fromValue(item);
    out[key] = converted === undefined ? null : converted;
  }
  return out;
}

/** google.protobuf.ListValue -> an array (an unset ListValue is `undefined`). */
export function fromListValue(list: unknown): JsonValue[] | undefined {
  if (list === null || list === undefined) return undefined;
  const values = (list as { values?: unknown[] | null }).values ?? [];
  return values.map((item) => {
    const converted = fromValue(item);
    return converted === undefined ? null : converted;
  });
}
