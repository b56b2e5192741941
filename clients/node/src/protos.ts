// Loads every .proto under the protos directory at run time (protobufjs, keepCase) and converts
// messages between plain JavaScript objects and the wire, guided by the loaded descriptors: any
// google.protobuf.Value / Struct / ListValue field, at any depth, is plain JSON on our side. New
// services and messages added to protos/ work with no change here.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

import {
  CAMEL_CASE_NAMES,
  fromListValue,
  fromStruct,
  fromValue,
  toListValue,
  toStruct,
  toValue,
  type ValueFieldNames,
} from "./value.js";

/** clients/node/dist/src/ -> the repository's protos/ (also right for src/ under ts-node-like runners). */
export function defaultProtoDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, "../../../../protos"), path.resolve(here, "../../../protos")];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

function protoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...protoFiles(full));
    else if (name.endsWith(".proto")) out.push(full);
  }
  return out;
}

/** One rpc of a service, as the client needs it. */
export interface MethodInfo {
  /** The rpc's name as written in the .proto, e.g. "StreamRun". */
  name: string;
  /** "/langgraph_gateway.v1.RunsService/StreamRun" */
  path: string;
  requestType: protobuf.Type;
  responseType: protobuf.Type;
  requestStream: boolean;
  responseStream: boolean;
}

/** A service: its full name (no leading dot) and its rpcs by name. */
export interface ServiceInfo {
  fullName: string;
  name: string;
  methods: Map<string, MethodInfo>;
}

const TO_OBJECT: protobuf.IConversionOptions = {
  enums: String,
  longs: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: false,
};

const VALUE = ".google.protobuf.Value";
const STRUCT = ".google.protobuf.Struct";
const LIST_VALUE = ".google.protobuf.ListValue";

function lowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The loaded protos: services, and message <-> plain-object conversion. */
export class Protos {
  readonly root: protobuf.Root;
  readonly services = new Map<string, ServiceInfo>();
  private readonly valueNames: ValueFieldNames;
  private readonly fieldIndex = new Map<protobuf.Type, Map<string, protobuf.Field>>();

  constructor(readonly protoDir: string = defaultProtoDir()) {
    if (!existsSync(protoDir)) throw new Error(`proto directory not found: ${protoDir}`);
    const files = protoFiles(protoDir);
    if (files.length === 0) throw new Error(`no .proto files under ${protoDir}`);
    const root = new protobuf.Root();
    const includeDirs = [protoDir];
    root.resolvePath = (origin: string, target: string): string => {
      if (path.isAbsolute(target)) return target;
      for (const dir of includeDirs) {
        const candidate = path.join(dir, target);
        if (existsSync(candidate)) return candidate;
      }
      // google/protobuf/*.proto: protobufjs has them built in and never reads this path.
      return protobuf.util.path.resolve(origin, target);
    };
    root.loadSync(files, { keepCase: true });
    root.resolveAll();
    this.root = root;
    this.valueNames = valueFieldNames(root);
    collectServices(root, this.services);
  }

  /** A service by full name ("langgraph_gateway.v1.RunsService") or short name ("RunsService"). */
  service(name: string): ServiceInfo {
    const exact = this.services.get(name.replace(/^\./, ""));
    if (exact) return exact;
    const matches = [...this.services.values()].filter((s) => s.name === name);
    if (matches.length === 1) return matches[0]!;
    const known = [...this.services.keys()].join(", ");
    throw new Error(
      matches.length > 1 ? `service name ${name} is ambiguous: ${known}` : `no service ${name} in ${this.protoDir} (have: ${known})`,
    );
  }

  /** Plain JavaScript request -> wire bytes. */
  encode(type: protobuf.Type, plain: unknown): Uint8Array {
    const object = this.toProto(type, plain ?? {}, type.name) as Record<string, unknown>;
    return type.encode(type.fromObject(object)).finish();
  }

  /** Wire bytes -> plain JavaScript (Value/Struct/ListValue fields as JSON values). */
  decode(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
    const message = type.decode(bytes);
    return this.fromProto(type, type.toObject(message, TO_OBJECT)) as Record<string, unknown>;
  }

  private fieldsByKey(type: protobuf.Type): Map<string, protobuf.Field> {
    let index = this.fieldIndex.get(type);
    if (!index) {
      index = new Map();
      for (const field of type.fieldsArray) {
        index.set(field.name, field);
        index.set(lowerCamel(field.name), field);
      }
      this.fieldIndex.set(type, index);
    }
    return index;
  }

  private toProto(type: protobuf.Type, plain: unknown, where: string): unknown {
    switch (type.fullName) {
      case VALUE:
        return toValue(plain, this.valueNames, where);
      case STRUCT:
        return toStruct(plain, this.valueNames, where);
      case LIST_VALUE:
        return toListValue(plain, this.valueNames, where);
    }
    if (plain === null || typeof plain !== "object" || Array.isArray(plain)) {
      throw new TypeError(`${where}: expected an object for ${type.fullName.slice(1)}`);
    }
    const index = this.fieldsByKey(type);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(plain)) {
      if (value === undefined) continue;
      const field = index.get(key);
      if (!field) {
        const known = type.fieldsArray.map((f) => f.name).join(", ");
        throw new TypeError(`${where}: ${type.fullName.slice(1)} has no field "${key}" (fields: ${known})`);
      }
      if (field.name in out) throw new TypeError(`${where}: field ${field.name} given twice (as ${key})`);
      const fieldWhere = `${where}.${field.name}`;
      // null means "unset", except for a Value, where it is JSON null.
      if (value === null && field.resolvedType?.fullName !== VALUE) continue;
      if (field.map) {
        if (typeof value !== "object" || Array.isArray(value)) throw new TypeError(`${fieldWhere}: expected an object (a map)`);
        const entries: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as object)) {
          if (v !== undefined) entries[k] = this.single(field, v, `${fieldWhere}.${k}`);
        }
        out[field.name] = entries;
      } else if (field.repeated) {
        const items: unknown[] = Array.isArray(value) ? value : [value];
        out[field.name] = items.map((item, i) => this.single(field, item, `${fieldWhere}[${i}]`));
      } else {
        out[field.name] = this.single(field, value, fieldWhere);
      }
    }
    return out;
  }

  private single(field: protobuf.Field, value: unknown, where: string): unknown {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.toProto(resolved, value, where);
    if (resolved instanceof protobuf.Enum) return enumNumber(resolved, value, where);
    return value;
  }

  private fromProto(type: protobuf.Type, object: unknown): unknown {
    switch (type.fullName) {
      case VALUE:
        return fromValue(object);
      case STRUCT:
        return fromStruct(object);
      case LIST_VALUE:
        return fromListValue(object);
    }
    if (object === null || object === undefined) return undefined;
    const source = object as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of type.fieldsArray) {
      const value = source[field.name];
      if (value === undefined) continue;
      const resolved = field.resolvedType;
      if (isEmptyRawJson(type, field, value)) continue;
      if (!(resolved instanceof protobuf.Type)) {
        out[field.name] = value;
      } else if (field.map) {
        const entries: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as object)) entries[k] = this.fromProto(resolved, v);
        out[field.name] = entries;
      } else if (field.repeated) {
        out[field.name] = (value as unknown[]).map((item) => this.fromProto(resolved, item));
      } else {
        const converted = this.fromProto(resolved, value);
        if (converted !== undefined) out[field.name] = converted;
      }
    }
    return out;
  }
}

/**
 * `data_json` / `values_json` (bytes beside a Value field `data` / `values`) carry the upstream's
 * exact JSON only with DATA_FORMAT_JSON; left empty they are noise in a plain object, so omitted.
 */
function isEmptyRawJson(type: protobuf.Type, field: protobuf.Field, value: unknown): boolean {
  if (field.type !== "bytes" || field.repeated || !field.name.endsWith("_json")) return false;
  if ((value as Uint8Array).length !== 0) return false;
  return type.fields[field.name.slice(0, -"_json".length)]?.resolvedType?.fullName === VALUE;
}

/** An enum given as its number, its full name ("ON_DISCONNECT_CANCEL") or its short name ("cancel"). */
function enumNumber(type: protobuf.Enum, value: unknown, where: string): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string") {
    if (value in type.values) return type.values[value]!;
    const names = Object.keys(type.values);
    const prefix = enumPrefix(names);
    const wanted = prefix + value.toUpperCase().replace(/[-\s]/g, "_");
    if (wanted in type.values) return type.values[wanted]!;
  }
  throw new TypeError(`${where}: ${JSON.stringify(value)} is not a ${type.name} (one of ${Object.keys(type.values).join(", ")})`);
}

function enumPrefix(names: string[]): string {
  const unspecified = names.find((n) => n.endsWith("_UNSPECIFIED"));
  if (unspecified) return unspecified.slice(0, -"UNSPECIFIED".length);
  if (names.length < 2) return "";
  let prefix = names[0]!;
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf("_") + 1);
}

function valueFieldNames(root: protobuf.Root): ValueFieldNames {
  const value = root.lookup("google.protobuf.Value");
  if (!(value instanceof protobuf.Type)) return CAMEL_CASE_NAMES;
  const name = (id: number, fallback: string): string => value.fieldsById[id]?.name ?? fallback;
  return {
    null: name(1, CAMEL_CASE_NAMES.null),
    number: name(2, CAMEL_CASE_NAMES.number),
    string: name(3, CAMEL_CASE_NAMES.string),
    bool: name(4, CAMEL_CASE_NAMES.bool),
    struct: name(5, CAMEL_CASE_NAMES.struct),
    list: name(6, CAMEL_CASE_NAMES.list),
  };
}

function collectServices(namespace: protobuf.NamespaceBase, out: Map<string, ServiceInfo>): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Service) {
      const fullName = nested.fullName.replace(/^\./, "");
      const methods = new Map<string, MethodInfo>();
      for (const method of nested.methodsArray) {
        method.resolve();
        methods.set(method.name, {
          name: method.name,
          path: `/${fullName}/${method.name}`,
          requestType: method.resolvedRequestType!,
          responseType: method.resolvedResponseType!,
          requestStream: Boolean(method.requestStream),
          responseStream: Boolean(method.responseStream),
        });
      }
      out.set(fullName, { fullName, name: nested.name, methods });
    } else if (nested instanceof protobuf.Namespace) {
      collectServices(nested, out);
    }
  }
}

const cache = new Map<string, Protos>();

/** The protos of a directory, loaded once per process. */
export function loadProtos(protoDir: string = defaultProtoDir()): Protos {
  const key = path.resolve(protoDir);
  let protos = cache.get(key);
  if (!protos) {
    protos = new Protos(key);
    cache.set(key, protos);
  }
  return protos;
}
