/**
 * The JSON.parse floor for the benchmark, in its own process: the CPU `JSON.parse` alone needs for one cycle's
 * reply frames. A process of its own, with the bridge's NODE_OPTIONS, so the figure does not move with the
 * benchmark's own heap (the simulator's large world made the same parse cost 21 ms in one run and 44 ms in
 * another when measured in the benchmark's process). The benchmark sends {frames, minMs} over IPC and gets
 * {cpuMs} back: the median over repeated passes.
 */
process.once("message", ({ frames, minMs }) => {
  let sink = 0;
  // Warm up: the first passes pay for code that is not optimised yet.
  for (let i = 0; i < 3; i++) for (const f of frames) sink += JSON.parse(f).id;
  const samples = [];
  const end = Date.now() + minMs;
  while (samples.length < 7 || Date.now() < end) {
    const start = process.cpuUsage();
    for (const f of frames) sink += JSON.parse(f).id;
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  process.send({ cpuMs: samples[Math.floor(samples.length / 2)], sink }, () => process.exit(0));
});
