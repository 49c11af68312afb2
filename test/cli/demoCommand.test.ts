/** `npm run demo` as a newcomer runs it: a separate process; entities arrive at the printed broker. */
import { afterEach, describe, expect, it } from "vitest";
import { MqttProbe } from "../support/mqttProbe.js";
import { startCli, type CliProcess } from "../support/runCli.js";

let child: CliProcess | undefined;

afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

describe("truenas2mqtt demo", () => {
  it("wires the simulator, an embedded broker and the bridge; entities arrive; SIGTERM exits 0", async () => {
    const cli = startCli(["demo", "--log-level", "warn"], {});
    child = cli;
    const [, url] = await cli.waitFor(/MQTT broker:\s+(mqtt:\/\/\S+)/);
    const probe = await MqttProbe.connect(url!, "homeassistant/#");
    try {
      const config = await probe.waitFor(
        (m) => m.topic.endsWith("__status/config") && m.topic.includes("/pool_"),
      );
      expect(JSON.parse(config.payload).device.name).toMatch(/pool tank|pool fast/);
    } finally {
      await probe.close();
    }
    const watcher = await MqttProbe.connect(url!, "truenas2mqtt/#");
    const offline = watcher.next((m) => m.topic.endsWith("/availability") && m.payload === "offline");
    cli.kill("SIGTERM");
    await offline; // the NAS is announced offline before the process ends
    expect(await cli.exited).toBe(0);
    await watcher.close().catch(() => undefined);
  });
});
