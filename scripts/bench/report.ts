/**
 * The benchmark's targets (from the performance issue) and its Markdown report: one table of figures per
 * profile with the target beside each, the per-method load on the NAS against the naive poller, and the checks.
 */
import type { BenchReport } from "./main.js";
import type { ProfileResult } from "./profile.js";

export interface Check {
  readonly name: string;
  readonly profile: string;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean;
}

const MB = 1024 * 1024;
const mb = (b: number): string => (b / MB).toFixed(1);
const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));
const int = (v: number): string => Math.round(v).toLocaleString("en-US");

export function targetChecks(r: BenchReport): Check[] {
  const checks: Check[] = [];
  for (const p of r.profiles) {
    const add = (name: string, value: string, target: string, ok: boolean): void => {
      checks.push({ name, profile: p.profile, value, target, ok });
    };
    const large = p.profile === "large";
    add(
      "start-up to complete discovery",
      `${ms(p.startup.ms)} ms`,
      large ? "≤ 5,000 ms" : "≤ 1,000 ms",
      p.startup.missing === 0 && p.startup.ms <= (large ? 5000 : 1000),
    );
    add("cycle CPU / JSON.parse floor", `${p.cycle.ratio.toFixed(2)}×`, "≤ 3×", p.cycle.ratio <= 3);
    add(
      "state messages in an unchanged cycle",
      String(p.unchanged.messages),
      "0",
      p.unchanged.messages === 0,
    );
    // The latency target is the typical profile's (the issue: "typical profile unless said").
    if (!large) add("event latency p99", `${ms(p.latency.p99)} ms`, "≤ 50 ms", p.latency.p99 <= 50);
    if (large)
      add(
        "RSS after start-up",
        `${mb(p.memory.afterStart.rss)} MB`,
        "≤ 150 MB",
        p.memory.afterStart.rss <= 150 * MB,
      );
    else {
      const ratio = p.memory.afterStart.rss / r.floor.rss;
      add("RSS / dependency floor", `${ratio.toFixed(2)}×`, "≤ 1.25×", ratio <= 1.25);
    }
    add(
      `heap growth over ${p.memory.cycles} cycles`,
      `${mb(p.memory.heapGrowth)} MB`,
      "≤ 2 MB",
      p.memory.heapGrowth <= 2 * MB,
    );
    const callRatio = p.nasLoad.bridgeTotal.calls / p.nasLoad.naiveTotal.calls;
    const byteRatio = p.nasLoad.bridgeTotal.bytes / p.nasLoad.naiveTotal.bytes;
    add("NAS calls per hour vs naive", `${(callRatio * 100).toFixed(0)} %`, "≤ 50 %", callRatio <= 0.5);
    add("NAS bytes per hour vs naive", `${(byteRatio * 100).toFixed(1)} %`, "≤ 50 %", byteRatio <= 0.5);
  }
  return checks;
}

function figures(p: ProfileResult, floorRss: number): Array<[string, string]> {
  return [
    [
      "entities (discovery configs / state topics / objects)",
      `${int(p.entities.configs)} / ${int(p.entities.states)} / ${int(p.entities.objects)}`,
    ],
    ["start-up: process start → every config and state received (ms)", ms(p.startup.ms)],
    ["full poll cycle: wall / CPU (ms)", `${ms(p.cycle.wallMs)} / ${ms(p.cycle.cpuMs)}`],
    [
      "JSON.parse floor for the cycle's replies (ms CPU; frames, KiB)",
      `${ms(p.cycle.parseFloorMs)} (${p.cycle.frames}, ${int(p.cycle.frameBytes / 1024)})`,
    ],
    ["cycle CPU / floor", `${p.cycle.ratio.toFixed(2)}×`],
    [
      "bare WebSocket client, same calls, JSON.parse only: CPU (ms) / floor",
      `${ms(p.cycle.transportFloorMs)} / ${(p.cycle.transportFloorMs / p.cycle.parseFloorMs).toFixed(2)}×`,
    ],
    ["unchanged cycle: messages / bytes", `${p.unchanged.messages} / ${p.unchanged.bytes}`],
    [
      "5 % changed: objects changed → messages / bytes",
      `${p.changed.objects} → ${int(p.changed.messages)} / ${int(p.changed.bytes)}`,
    ],
    [
      `event → MQTT latency p50 / p99 / max (ms, ${p.latency.count} mutations)`,
      `${ms(p.latency.p50)} / ${ms(p.latency.p99)} / ${ms(p.latency.max)}`,
    ],
    [
      "RSS after start-up / after the memory cycles (MB)",
      `${mb(p.memory.afterStart.rss)} / ${mb(p.memory.afterCycles.rss)}`,
    ],
    ["RSS / floor (bare Node + runtime deps)", `${(p.memory.afterStart.rss / floorRss).toFixed(2)}×`],
    ["peak RSS of the bridge process (MB)", mb(p.memory.afterCycles.peakRss)],
    [
      "heap after start-up / after the memory cycles (MB)",
      `${mb(p.memory.afterStart.heapUsed)} / ${mb(p.memory.afterCycles.heapUsed)} (${p.memory.cycles} cycles)`,
    ],
    [
      "NAS load per hour, bridge: calls / MB",
      `${int(p.nasLoad.bridgeTotal.calls)} / ${mb(p.nasLoad.bridgeTotal.bytes)}`,
    ],
    [
      "NAS load per hour, naive 60 s full poll: calls / MB",
      `${int(p.nasLoad.naiveTotal.calls)} / ${mb(p.nasLoad.naiveTotal.bytes)}`,
    ],
  ];
}

function loadTable(p: ProfileResult): string[] {
  const keys = [...new Set([...Object.keys(p.nasLoad.bridge), ...Object.keys(p.nasLoad.naive)])].sort();
  const cell = (t: Record<string, { calls: number; bytes: number }>, k: string): string =>
    t[k] ? `${int(t[k].calls)} / ${int(t[k].bytes / 1024)}` : "–";
  return [
    `| ${p.profile}: per hour, calls / KiB | bridge (default schedules) | naive (every method, 60 s) |`,
    "|---|---:|---:|",
    ...keys.map((k) => `| \`${k}\` | ${cell(p.nasLoad.bridge, k)} | ${cell(p.nasLoad.naive, k)} |`),
  ];
}

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const lines = [
    `Measured ${r.date.slice(0, 10)} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node}, Linux ${m.kernel}; broker ${r.profiles[0]?.broker ?? "?"}. Dependency floor RSS ${mb(r.floor.rss)} MB.`,
    "",
    `| figure | ${r.profiles.map((p) => p.profile).join(" | ")} |`,
    `|---|${r.profiles.map(() => "---:").join("|")}|`,
  ];
  const rows = r.profiles.map((p) => figures(p, r.floor.rss));
  for (let i = 0; i < (rows[0]?.length ?? 0); i++) {
    lines.push(`| ${rows[0]![i]![0]} | ${rows.map((f) => f[i]![1]).join(" | ")} |`);
  }
  lines.push("", "| target | profile | measured | target | met |", "|---|---|---:|---:|:-:|");
  for (const c of targetChecks(r))
    lines.push(`| ${c.name} | ${c.profile} | ${c.value} | ${c.target} | ${c.ok ? "yes" : "**no**"} |`);
  for (const p of r.profiles) lines.push("", ...loadTable(p));
  return lines.join("\n");
}
