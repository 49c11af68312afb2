import { describe, expect, it } from "vitest";
import { EjsonDate, EjsonIpInterface, EjsonSet, EjsonTime } from "../../src/truenas/ejson.js";
import { classifyMessage, decodeFrame, encodeRequest, redactParams } from "../../src/truenas/jsonrpc.js";

describe("encodeRequest", () => {
  it("writes a JSON-RPC 2.0 request with positional params", () => {
    expect(JSON.parse(encodeRequest(7, "pool.query", [[["id", "=", 1]], { get: true }]))).toEqual({
      jsonrpc: "2.0",
      id: 7,
      method: "pool.query",
      params: [[["id", "=", 1]], { get: true }],
    });
  });

  it("encodes Dates and Sets as extended JSON", () => {
    const text = encodeRequest(1, "x.y", [new Date(86_400_000), new Set(["a"])]);
    expect(JSON.parse(text).params).toEqual([{ $date: 86_400_000 }, { $set: ["a"] }]);
  });
});

describe("redactParams", () => {
  it.each([
    ["auth.login_with_api_key", ["1-secret"], ["[redacted]"]],
    ["auth.login_ex", [{ mechanism: "API_KEY_PLAIN", api_key: "1-secret" }], ["[redacted]"]],
    ["pool.query", [[], { select: ["name"] }], [[], { select: ["name"] }]],
    ["core.ping", [], []],
  ])("%s", (method, params, expected) => {
    expect(redactParams(method, params)).toEqual(expected);
  });
});

describe("decodeFrame", () => {
  it.each([
    ['{"jsonrpc":"2.0","id":3,"result":"pong"}', { kind: "result", id: 3, result: "pong" }],
    ['{"jsonrpc":"2.0","id":"abc","result":null}', { kind: "result", id: "abc", result: null }],
    [
      '{"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"Method does not exist"}}',
      { kind: "error", id: 4, error: { code: -32601, message: "Method does not exist" } },
    ],
    [
      '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Batch messages are not supported at this time"}}',
      {
        kind: "error",
        id: null,
        error: { code: -32700, message: "Batch messages are not supported at this time" },
      },
    ],
    ['{"jsonrpc":"2.0","id":5,"error":"boom"}', { kind: "error", id: 5, error: { message: '"boom"' } }],
    [
      '{"jsonrpc":"2.0","method":"collection_update","params":{"msg":"changed","collection":"pool.query","id":1,"fields":{"status":"ONLINE"}}}',
      {
        kind: "collection_update",
        params: { msg: "changed", collection: "pool.query", id: 1, fields: { status: "ONLINE" } },
      },
    ],
    [
      '{"jsonrpc":"2.0","method":"notify_unsubscribed","params":{"collection":"reporting.realtime:{\\"interval\\":1}"}}',
      {
        kind: "notify_unsubscribed",
        params: { collection: 'reporting.realtime:{"interval":1}', error: null },
      },
    ],
    [
      '{"jsonrpc":"2.0","method":"something_else","params":[1]}',
      { kind: "notification", method: "something_else", params: [1] },
    ],
  ])("classifies %s", (text, expected) => {
    expect(decodeFrame(text)).toEqual(expected);
  });

  it.each([
    ["{not json", /not JSON/],
    ["", /not JSON/],
    ['[{"jsonrpc":"2.0","id":1,"result":1}]', /batch/],
    ["42", /not a JSON object/],
    ["null", /not a JSON object/],
    ['"text"', /not a JSON object/],
    ['{"jsonrpc":"2.0","id":1}', /without result or error/],
    ['{"jsonrpc":"2.0","result":1}', /without a usable id/],
    ['{"jsonrpc":"2.0","id":{"a":1},"result":1}', /without a usable id/],
    ['{"jsonrpc":"2.0","method":"collection_update","params":{"msg":"added"}}', /collection_update without/],
    ['{"jsonrpc":"2.0","method":"collection_update","params":[]}', /collection_update without/],
    ['{"jsonrpc":"2.0","method":"notify_unsubscribed","params":{}}', /notify_unsubscribed without/],
  ])("reports %j as invalid", (text, problem) => {
    const frame = decodeFrame(text);
    expect(frame.kind).toBe("invalid");
    expect(frame.kind === "invalid" && frame.problem).toMatch(problem);
  });

  it("decodes extended JSON inside results", () => {
    const frame = decodeFrame(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        result: {
          boottime: { $date: 1_700_000_000_000 },
          roles: { $set: ["READONLY_ADMIN"] },
          day: { $type: "date", $value: "2025-01-02" },
          at: { $time: "03:04:05" },
          aliases: [{ $ipv4_interface: "192.0.2.1/24" }, { $ipv6_interface: "fd00::1/64" }],
        },
      }),
    );
    expect(frame.kind).toBe("result");
    const r = (frame as { result: Record<string, unknown> }).result;
    expect(r.boottime).toEqual(new Date(1_700_000_000_000));
    expect(r.roles).toEqual(new EjsonSet(["READONLY_ADMIN"]));
    expect(r.day).toEqual(new EjsonDate("2025-01-02"));
    expect(r.at).toEqual(new EjsonTime("03:04:05"));
    expect(r.aliases).toEqual([
      new EjsonIpInterface(4, "192.0.2.1/24"),
      new EjsonIpInterface(6, "fd00::1/64"),
    ]);
  });

  it("classifyMessage treats a method with an id as a response shape", () => {
    expect(classifyMessage({ jsonrpc: "2.0", id: 1, method: "x", result: 2 })).toEqual({
      kind: "result",
      id: 1,
      result: 2,
    });
  });
});
