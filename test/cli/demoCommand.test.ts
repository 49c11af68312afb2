/** `npm run demo` as a newcomer runs it: a separate process; entities arrive at the printed broker. */
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { MqttProbe } from "../support/mqttProbe.js";

/** The built CLI, as users run it (`npm test` builds first). */
const NODE = process.execPath;
const MAIN = new URL("../../dist/main.js", import.meta.url).pathname;
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

describe("truenas2mqtt demo", () => {
  it("wires the simulator, an embedded broker and the bridge; entities arrive; SIGTERM exits 0", async () => {
    const proc = spawn(NODE, [MAIN, "demo", "--log-level", "warn"], { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /MQTT broker:\s+(mqtt:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      proc.once("exit", (code) => reject(new Error(`demo exited ${code}: ${out}`)));
    });
    const probe = await MqttProbe.connect(url, "homeassistant/#");
    try {
      const config = await probe.waitFor(
        (m) => m.topic.endsWith("__status/config") && m.topic.includes("/pool_"),
      );
      expect(JSON.parse(config.payload).device.name).toMatch(/pool tank|pool fast/);
    } finally {
      await probe.close();
    }
    const watcher = await MqttProbe.connect(url, "truenas2mqtt/#");
    const offline = watcher.next((m) => m.topic.endsWith("/availability") && m.payload === "offline");
    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    await offline; // the NAS is announced offline before the process ends
    expect(await exited).toBe(0);
    await watcher.close().catch(() => undefined);
  });
});
