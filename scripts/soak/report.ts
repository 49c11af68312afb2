/** The soak's summary as text, for the console. */
import type { SoakResult } from "./result.js";

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const counts = (c: Record<string, number>): string =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "none";
const sum = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0);

export function renderSummary(r: SoakResult): string {
  const lines = [
    `soak: seed ${r.seed}, ${r.cycles} cycles (warm-up ${r.warmupCycles}), clock x${r.speed}, broker ${r.brokerKind}`,
    `wall time      ${(r.wallMs / 1000).toFixed(1)} s (${((r.wallMs / r.cycles) * 1000).toFixed(0)} us/cycle)`,
    `faults         ${sum(r.faults)}: ${counts(r.faults)}`,
    `               session back only after method faults were lifted (waits > 1 s): ${r.faultsLiftedForReady}`,
    `mutations      ${sum(r.mutations)}: ${counts(r.mutations)}`,
    `polls          ${r.polls.runs} runs, ${r.polls.failures} failed`,
    `truenas        ${r.session.sessions} sessions, ${r.session.reconnects} reconnects, ` +
      `${r.session.callTimeouts} call timeouts, ${r.session.badFrames} bad frames`,
    `mqtt           ${r.messages.published} messages published (${mib(r.messages.bytes)}), ` +
      `${r.messages.dropped} dropped while disconnected`,
    `heap           warm-up ${mib(r.heap.warmup)}, end ${mib(r.heap.end)}, growth ${mib(r.heap.growth)} ` +
      `(V8 code space ${mib(r.heap.codeGrowth)}); buffers off-heap ${mib(r.heap.external.warmup)} -> ${mib(r.heap.external.end)}`,
    `heap samples   ${r.heap.samples.map((s) => `${s.cycle}: ${mib(s.used)}`).join(", ") || "none"}`,
    `rss            ${mib(r.rssBytes)}`,
    `nas objects    warm-up ${counts(r.world.warmup)}`,
    `               end ${counts(r.world.end)}`,
    `resources      before ${counts(r.resources.before)}`,
    `               running ${counts(r.resources.live)}`,
    `               after ${counts(r.resources.after)}`,
    "",
    ...r.checks.map((c) => `${c.ok ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`),
  ];
  if (r.truth.mismatches.length > 5) lines.push("", "all mismatches:", ...r.truth.mismatches);
  lines.push("", r.ok ? "soak passed" : "soak FAILED");
  return lines.join("\n");
}
