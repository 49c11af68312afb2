/** createLogger: the three formats, and secrets censored by path in JSON and pretty output alike. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, resolveLogFormat, type LogFormat } from "../../src/log.js";

const SECRET = "s3cr3t-VALUE-that-must-not-print";

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join("") };
}

async function logged(format: LogFormat, isTty = false): Promise<string> {
  const { stream, text } = capture();
  const log = createLogger({ level: "trace", format, isTty, destination: stream });
  const child = log.child({ component: "mqtt" });
  child.info({ password: SECRET, options: { password: SECRET, apiKey: SECRET } }, "connecting");
  child.debug({ config: { truenas: { api_key: SECRET } }, headers: { authorization: SECRET } }, "config");
  await new Promise((r) => setImmediate(r));
  return text();
}

describe("createLogger", () => {
  it("auto is pretty on a terminal and JSON otherwise", () => {
    expect(resolveLogFormat("auto", true)).toBe("pretty");
    expect(resolveLogFormat("auto", false)).toBe("json");
    expect(resolveLogFormat("json", true)).toBe("json");
    expect(resolveLogFormat("pretty", false)).toBe("pretty");
  });

  it("json: one JSON object per line, secrets censored", async () => {
    const out = await logged("json");
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ msg: "connecting", component: "mqtt", password: "[redacted]" });
    expect(out).not.toContain(SECRET);
  });

  it("pretty: human-readable lines with the component, secrets censored", async () => {
    const out = await logged("pretty");
    expect(out).toMatch(/INFO: \[mqtt\] connecting/);
    expect(out).toMatch(/DEBUG: \[mqtt\] config/);
    expect(out).toContain('"[redacted]"');
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain("\u001b["); // no colours when not a terminal
  });

  it("auto on a terminal: pretty and coloured", async () => {
    const out = await logged("auto", true);
    expect(out).toMatch(/\[mqtt\].*connecting/);
    expect(out).not.toContain(SECRET);
    expect(out.trim().startsWith("{")).toBe(false);
  });
});
