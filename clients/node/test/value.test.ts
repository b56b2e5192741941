// Unit tests: google.protobuf.Value/Struct/ListValue <-> plain JavaScript (no gateway needed).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  SNAKE_CASE_NAMES,
  fromListValue,
  fromStruct,
  fromValue,
  toListValue,
  toStruct,
  toValue,
  type JsonValue,
} from "../src/value.js";

describe("toValue", () => {
  const cases: [string, unknown, unknown][] = [
    ["null", null, { nullValue: "NULL_VALUE" }],
    ["true", true, { boolValue: true }],
    ["false", false, { boolValue: false }],
    ["zero", 0, { numberValue: 0 }],
    ["negative float", -1.5, { numberValue: -1.5 }],
    ["empty string", "", { stringValue: "" }],
    ["unicode string", "héllo ✓", { stringValue: "héllo ✓" }],
    ["empty array", [], { listValue: { values: [] } }],
    ["empty object", {}, { structValue: { fields: {} } }],
    [
      "nested",
      { a: [1, "x", null, { b: false }] },
      {
        structValue: {
          fields: {
            a: {
              listValue: {
                values: [
                  { numberValue: 1 },
                  { stringValue: "x" },
                  { nullValue: "NULL_VALUE" },
                  { structValue: { fields: { b: { boolValue: false } } } },
                ],
              },
            },
          },
        },
      },
    ],
    ["safe bigint", 42n, { numberValue: 42 }],
    ["Date via toJSON", new Date("2024-01-02T03:04:05.000Z"), { stringValue: "2024-01-02T03:04:05.000Z" }],
    ["undefined dropped from objects", { a: undefined, b: 1 }, { structValue: { fields: { b: { numberValue: 1 } } } }],
    ["function dropped from objects", { f: () => 1 }, { structValue: { fields: {} } }],
    ["undefined in arrays is null", [undefined], { listValue: { values: [{ nullValue: "NULL_VALUE" }] } }],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => assert.deepEqual(toValue(input), expected));
  }

  test("snake_case names", () => {
    assert.deepEqual(toValue({ a: null }, SNAKE_CASE_NAMES), { struct_value: { fields: { a: { null_value: "NULL_VALUE" } } } });
  });

  const refused: [string, unknown][] = [
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", { x: [-Infinity] }],
    ["huge bigint", 2n ** 64n],
    ["Map", new Map([["a", 1]])],
    ["Set", { s: new Set([1]) }],
    ["undefined at the top", undefined],
    ["a symbol at the top", Symbol("x")],
  ];
  for (const [name, input] of refused) {
    test(`refuses ${name}`, () => assert.throws(() => toValue(input), TypeError));
  }

  test("refuses cycles but allows shared references", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => toValue(cyclic), /circular/);
    const shared = { x: 1 };
    assert.deepEqual(fromValue(toValue({ a: shared, b: [shared] })), { a: { x: 1 }, b: [{ x: 1 }] });
  });

  test("names the path of a bad value", () => {
    assert.throws(() => toValue({ messages: [{ score: NaN }] }), /\.messages\[0\]\.score/);
  });
});

describe("toStruct / toListValue", () => {
  test("struct", () => assert.deepEqual(toStruct({ k: "v" }), { fields: { k: { stringValue: "v" } } }));
  test("struct refuses non-objects", () => {
    for (const bad of [null, [], "x", 1]) assert.throws(() => toStruct(bad), TypeError);
  });
  test("list", () => assert.deepEqual(toListValue([true]), { values: [{ boolValue: true }] }));
  test("list refuses non-arrays", () => assert.throws(() => toListValue({}), TypeError));
});

describe("fromValue", () => {
  test("unset is undefined", () => {
    assert.equal(fromValue(undefined), undefined);
    assert.equal(fromValue(null), undefined);
  });
  test("no member set is null", () => assert.equal(fromValue({}), null));
  test("reads snake_case and camelCase members", () => {
    assert.deepEqual(fromValue({ struct_value: { fields: { a: { number_value: 2 } } } }), { a: 2 });
    assert.deepEqual(fromValue({ listValue: { values: [{ stringValue: "s" }, { nullValue: 0 }] } }), ["s", null]);
  });
  test("null_value given as 0 (the enum number) is null", () => assert.equal(fromValue({ null_value: 0 }), null));
  test("empty containers", () => {
    assert.deepEqual(fromStruct({}), {});
    assert.deepEqual(fromListValue({}), []);
    assert.equal(fromStruct(null), undefined);
    assert.equal(fromListValue(undefined), undefined);
  });

  const roundTrips: JsonValue[] = [
    null,
    true,
    0,
    -0.25,
    1e300,
    "",
    "with \"quotes\" and \n newlines",
    [],
    {},
    { messages: [{ role: "user", content: "hi" }], count: 1, nested: { deep: [[[]], { "": null }] } },
  ];
  for (const value of roundTrips) {
    test(`round trip ${JSON.stringify(value)}`, () => {
      assert.deepEqual(fromValue(toValue(value)), value);
      assert.deepEqual(fromValue(toValue(value, SNAKE_CASE_NAMES)), value);
    });
  }
});
