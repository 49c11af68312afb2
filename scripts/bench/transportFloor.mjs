/**
 * The transport floor for the benchmark: what one cycle's calls cost a bare WebSocket JSON-RPC client that does
 * nothing but send each request and JSON.parse each answer (the `ws` package, as the bridge uses, no TrueNAS
 * session logic, no bridge). All calls of the cycle go out at once. Plain JavaScript in its own process, so the
 * figure is comparable with the bridge process's. The benchmark sends {url, apiKey, calls, cycles} over IPC and
 * gets {cpuMs} back: the median CPU time per cycle.
 */
import WebSocket from "ws";

process.once("message", async ({ url, apiKey, calls, warmup, cycles }) => {
  const ws = new WebSocket(url, { followRedirects: false });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map();
  ws.on("message", (data) => {
    const reply = JSON.parse(data.toString());
    pending.get(reply.id)?.();
    pending.delete(reply.id);
  });
  const call = (method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  await call("auth.login_with_api_key", [apiKey]);
  const cycle = () => Promise.all(calls.map((c) => call(c.method, c.params)));
  for (let i = 0; i < warmup; i++) await cycle();
  const samples = [];
  for (let i = 0; i < cycles; i++) {
    const start = process.cpuUsage();
    await cycle();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  ws.close();
  process.send({ cpuMs: samples[Math.floor(samples.length / 2)] }, () => process.exit(0));
});
