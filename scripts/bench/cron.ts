/**
 * How often a six-field cron expression (seconds first, as node-cron takes it) fires per hour, averaged over a
 * day. Enough of cron for the default schedules: `*`, `n`, `a-b`, `/step`, and lists; day fields must be `*`.
 */
function fieldSet(field: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const [range = "*", stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let [from, to] = [min, max];
    if (range !== "*") {
      const [a, b] = range.split("-").map(Number);
      from = a ?? min;
      to = b ?? (stepText === undefined ? from : max);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function firesPerHour(expression: string): number {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6 || fields.slice(3).some((f) => f !== "*"))
    throw new Error(`unsupported cron expression for the load estimate: ${expression}`);
  const [sec, min, hour] = [
    fieldSet(fields[0]!, 0, 59),
    fieldSet(fields[1]!, 0, 59),
    fieldSet(fields[2]!, 0, 23),
  ];
  return (sec.size * min.size * hour.size) / 24;
}
