/**
 * Config fuzzing (issue 6, "Bad input"): every key of the convict schema, found by walking CONFIG_SCHEMA so a
 * new key is covered without touching this file, gets wrong types and edge values through the environment and
 * through a config file. Each either loads or throws ConfigError whose problems name the key and its
 * environment variable, carry no stack trace and never show a sensitive value. Nothing else may throw.
 */
import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/configError.js";
import { loadConfig, type AppConfig } from "../../src/config/loadConfig.js";
import { CONFIG_SCHEMA } from "../../src/config/schema.js";

interface Leaf {
  readonly path: string;
  readonly env: string;
  readonly sensitive: boolean;
  /** The convict format's name when it is a named (custom) format. */
  readonly format: string | null;
}

function leavesOf(node: Record<string, unknown>, prefix: string[] = []): Leaf[] {
  return Object.entries(node).flatMap(([key, child]) => {
    const c = child as { doc?: unknown; env?: string; sensitive?: boolean; format?: unknown };
    const path = [...prefix, key];
    if (typeof c.doc !== "string") return leavesOf(child as Record<string, unknown>, path);
    const format = typeof c.format === "string" ? c.format : null;
    return [{ path: path.join("."), env: c.env ?? "", sensitive: c.sensitive === true, format }];
  });
}

const LEAVES = leavesOf(CONFIG_SCHEMA);
const KEY = "1-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab";
const BASE = { TRUENAS_URL: "wss://nas.example.test/api/current", TRUENAS_API_KEY: KEY };
const dir = mkdtempSync(join(tmpdir(), "t2m-fuzz-"));

/** Text values as an environment carries them. */
const ENV_VALUES = [
  "",
  " ",
  "\t\n",
  "-1",
  "0",
  "-0",
  "1.5",
  "1e3",
  "99999999999999999999",
  "1e309",
  "NaN",
  "Infinity",
  "true",
  "yes",
  "off",
  "ünïcødé 数据 💾",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x".repeat(10_000),
  '{"a":1}',
  "[1,2",
  "null",
  "__proto__",
  "${HOME}",
  "0x10",
  " 30 ",
  "a/#",
  "+",
  "*/5 * * * * *",
  "mqtt://",
  "/",
  dir,
];

/** Values a config file can give a key: every JSON type, and nesting where a scalar belongs. */
const FILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 64,
  "",
  "x".repeat(10_000),
  "\u0000",
  "NaN",
  [],
  ["a", 1],
  {},
  { a: 1 },
  { url: "wss://other.example.test" },
];

/** A secret shown in a message would be long enough to recognise; short values appear in any text. */
const SECRET_MARK = "s3cr3t-VALUE-do-not-print";

type Outcome = { config: AppConfig } | { error: ConfigError };

function attempt(load: () => AppConfig): Outcome {
  try {
    return { config: load() };
  } catch (err) {
    // Anything but ConfigError escaping loadConfig would reach main.ts's stack-trace branch.
    expect(err, `not a ConfigError: ${String((err as Error).stack ?? err)}`).toBeInstanceOf(ConfigError);
    return { error: err as ConfigError };
  }
}

function expectFinite(value: unknown, where: string): void {
  if (typeof value === "number") expect(Number.isFinite(value), where).toBe(true);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) expectFinite(v, `${where}.${k}`);
}

/** The contract of one attempt with `value` in `leaf`. */
function expectClear(outcome: Outcome, leaf: Leaf, value: unknown): void {
  if ("config" in outcome) {
    expect(Object.isFrozen(outcome.config)).toBe(true);
    expectFinite(outcome.config, "config");
    return;
  }
  const { problems, message } = outcome.error;
  expect(problems.length).toBeGreaterThan(0);
  const named = `${leaf.path} (${leaf.env})`;
  expect(problems.join("\n"), `value ${JSON.stringify(value)?.slice(0, 40)}`).toContain(named);
  expect(message).not.toMatch(/\n\s+at .+:\d+/);
  expect(message).not.toMatch(/node_modules|\.ts:\d+|\.js:\d+/);
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (leaf.sensitive && text?.includes(SECRET_MARK) === true) {
    expect(message).not.toContain(SECRET_MARK);
  }
}

/** The environment for fuzzing one key: the base without the key's alternatives (a key and its file). */
function envWith(leaf: Leaf, value: string): Record<string, string> {
  const env: Record<string, string> = { ...BASE, [leaf.env]: value };
  if (leaf.path === "truenas.api_key_file") delete env.TRUENAS_API_KEY;
  return env;
}

describe("config fuzzing through the environment", () => {
  it("derives every key from the schema, each with its own environment variable", () => {
    expect(LEAVES.length).toBeGreaterThanOrEqual(36);
    expect(new Set(LEAVES.map((l) => l.env)).size).toBe(LEAVES.length);
    expect(LEAVES.every((l) => /^[A-Z][A-Z0-9_]*$/.test(l.env))).toBe(true);
  });

  it.each(LEAVES.map((l) => [l.path, l] as const))("%s: edge values load or name the key", (_p, leaf) => {
    const values = leaf.sensitive ? [...ENV_VALUES, `${SECRET_MARK} `, `\u0000${SECRET_MARK}`] : ENV_VALUES;
    for (const value of values)
      expectClear(
        attempt(() => loadConfig({ env: envWith(leaf, value) })),
        leaf,
        value,
      );
  });

  it("random text in random keys loads or names the key", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc.double().map(String),
      fc.bigInt().map(String),
      fc.string({ maxLength: 12 }).map((s) => `${SECRET_MARK}${s}`),
    );
    fc.assert(
      fc.property(fc.constantFrom(...LEAVES), text, (leaf, value) => {
        expectClear(
          attempt(() => loadConfig({ env: envWith(leaf, value) })),
          leaf,
          value,
        );
      }),
      { numRuns: 300 },
    );
  });
});

/** A file of the base settings with `path` set to `value` (sections made as needed). */
function fileWith(path: string, value: unknown, ext: "json" | "yaml" = "json"): string {
  const doc: Record<string, unknown> = { truenas: { url: BASE.TRUENAS_URL, api_key: KEY } };
  const parts = path.split(".");
  let node = doc;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = value;
  if (path === "truenas.api_key_file") delete (doc.truenas as Record<string, unknown>).api_key;
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.${ext}`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe("config fuzzing through a config file", () => {
  it.each(LEAVES.map((l) => [l.path, l] as const))(
    "%s: every JSON type loads or names the key",
    (_p, leaf) => {
      const values = leaf.sensitive
        ? [...FILE_VALUES, SECRET_MARK, { [SECRET_MARK]: SECRET_MARK }]
        : FILE_VALUES;
      for (const value of values) {
        const configFile = fileWith(leaf.path, value);
        expectClear(
          attempt(() => loadConfig({ env: {}, configFile })),
          leaf,
          value,
        );
      }
    },
  );
});

/** Every section of the schema (a mapping of options or of sections), derived like the keys. */
function sectionsOf(node: Record<string, unknown>, prefix: string[] = []): string[] {
  return Object.entries(node).flatMap(([key, child]) => {
    if (typeof (child as { doc?: unknown }).doc === "string") return [];
    const path = [...prefix, key];
    return [path.join("."), ...sectionsOf(child as Record<string, unknown>, path)];
  });
}

function writeFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("config file shapes", () => {
  const SECTIONS = sectionsOf(CONFIG_SCHEMA);

  it.each(SECTIONS)(
    "section %s: a scalar or list is one problem naming it, null is an empty section",
    (path) => {
      expect(SECTIONS.length).toBeGreaterThanOrEqual(8);
      for (const value of [5, "x", true, [], [SECRET_MARK], SECRET_MARK]) {
        const outcome = attempt(() => loadConfig({ env: BASE, configFile: fileWith(path, value) }));
        expect("error" in outcome).toBe(true);
        const { problems, message } = (outcome as { error: ConfigError }).error;
        expect(problems).toEqual([
          expect.stringMatching(new RegExp(`^${path.replace(/\./g, "\\.")}: must be a mapping`)),
        ]);
        expect(message).not.toContain(SECRET_MARK);
      }
      expect(loadConfig({ env: BASE, configFile: fileWith(path, null) })).toBeDefined();
    },
  );

  it("a file that is not a mapping is one problem naming the file; an empty one is an empty configuration", () => {
    for (const [name, text] of [
      ["list.json", "[]"],
      ["number.json", "5"],
      ["text.json", '"x"'],
      ["list.yaml", "- a\n- b\n"],
      ["text.yaml", "just some text"],
    ] as const) {
      const problems = attemptProblems(() => loadConfig({ env: BASE, configFile: writeFile(name, text) }));
      expect(problems).toEqual([
        expect.stringMatching(new RegExp(`^config file .*${name}: must be a mapping`)),
      ]);
    }
    for (const [name, text] of [
      ["empty.yaml", ""],
      ["null.json", "null"],
      ["comments.yaml", "# nothing\n"],
    ] as const) {
      expect(loadConfig({ env: BASE, configFile: writeFile(name, text) }).mqtt.url).toBe(
        "mqtt://localhost:1883",
      );
    }
  });

  it("keys that would reach a prototype are unknown options, and pollute nothing", () => {
    const text = `{"truenas": {"url": "${BASE.TRUENAS_URL}", "api_key": "${KEY}", "__proto__": {"polluted": 1}},
      "constructor": {"prototype": {"polluted": 1}}}`;
    const problems = attemptProblems(() =>
      loadConfig({ env: {}, configFile: writeFile("proto.json", text) }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^truenas\.__proto__: unknown option/),
      expect.stringMatching(/^constructor: unknown option/),
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

function attemptProblems(load: () => AppConfig): readonly string[] {
  const outcome = attempt(load);
  expect("error" in outcome).toBe(true);
  return (outcome as { error: ConfigError }).error.problems;
}

describe("config file parse errors", () => {
  it.each([
    ["bad.json", `{"truenas": {"api_key": ${SECRET_MARK}}}`, /not valid JSON/],
    ["bad2.json", `{"truenas": {"api_key": "${SECRET_MARK}",}}`, /not valid JSON \(line 1, column \d+\)/],
    ["bad.yaml", `truenas:\n  api_key: ${SECRET_MARK}: x\n`, /not valid YAML: .* \(line 2, column \d+\)/],
    ["bad2.yaml", `truenas:\n  api_key: "${SECRET_MARK}\n`, /not valid YAML: .* \(line \d+, column \d+\)/],
  ])("%s: names the file and the place, never quotes the text", (name, text, pattern) => {
    const problems = attemptProblems(() => loadConfig({ env: {}, configFile: writeFile(name, text) }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^config file .*${name.replace(".", "\\.")}: `));
    expect(problems[0]).toMatch(pattern);
    // V8 quotes about ten characters around the error: even the start of a secret must not show.
    expect(problems[0]).not.toContain(SECRET_MARK.slice(0, 6));
  });

  it("an unreadable file is one problem naming it", () => {
    for (const file of [join(dir, "missing.yaml"), dir, "a\u0000b.json"]) {
      const problems = attemptProblems(() => loadConfig({ env: BASE, configFile: file }));
      expect(problems).toEqual([
        expect.stringMatching(/^config file .*: cannot read it \((E[A-Z_]+|not a regular file)\)$/),
      ]);
    }
  });
});

/**
 * Values a format must refuse, and values it must take, for every key of that format: what would otherwise
 * load and then fail at run time (a broker closes the connection of a client publishing to `a/#` or sending
 * NUL; listen() on "bad host!!" rejects at start-up, and main.ts printed its stack).
 */
const FORMAT_CASES: Record<string, { readonly refuse: readonly string[]; readonly take: readonly string[] }> =
  {
    "mqtt-topic": {
      refuse: ["", " ", "/", "a/#", "#", "+", "a/+/b", "a\u0000b", "$SYS/x", "x".repeat(70_000)],
      take: ["a", "a/b", "truenas2mqtt/", "ünïcødé/数据", "a b"],
    },
    "mqtt-text": { refuse: ["a\u0000b", "x".repeat(70_000)], take: ["", "truenas2mqtt_1", "ünïcødé 💾"] },
    host: {
      refuse: [
        "",
        " ",
        "bad host!!",
        "a..b",
        "-a",
        "a-",
        "x".repeat(64),
        `${"a.".repeat(127)}a`,
        "[::1]",
        "\u0000",
      ],
      take: ["0.0.0.0", "::", "::1", "127.0.0.1", "nas.local", "nas", "health-1.example.test."],
    },
  };

describe("values that load but could not work are refused", () => {
  const cases = LEAVES.filter((l) => l.format !== null && Object.hasOwn(FORMAT_CASES, l.format));

  it("covers every key of the topic, MQTT text and host formats", () => {
    expect(cases.map((l) => l.path).sort()).toEqual(
      [
        "health.host",
        "homeassistant.discovery_prefix",
        "homeassistant.status_topic",
        "mqtt.base_topic",
        "mqtt.client_id",
        "mqtt.username",
      ].sort(),
    );
  });

  it.each(cases.map((l) => [l.path, l] as const))("%s", (_p, leaf) => {
    const { refuse, take } = FORMAT_CASES[leaf.format as string] as (typeof FORMAT_CASES)[string];
    for (const value of refuse) {
      const outcome = attempt(() => loadConfig({ env: envWith(leaf, value) }));
      expect("error" in outcome, `${leaf.path} = ${JSON.stringify(value).slice(0, 30)} loaded`).toBe(true);
      expectClear(outcome, leaf, value);
    }
    for (const value of take) expect(loadConfig({ env: envWith(leaf, value) })).toBeDefined();
  });
});

describe("file-valued keys read only small regular files", () => {
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  const big = writeFile("big.pem", "x".repeat(2 * 1024 * 1024));
  const FILE_LEAVES = LEAVES.filter((l) => l.path.endsWith("_file"));

  it.each(FILE_LEAVES.map((l) => [l.path, l] as const))(
    "%s: a FIFO, a device, a directory or a 2 MiB file is a problem, not a hang",
    (_p, leaf) => {
      expect(FILE_LEAVES.length).toBeGreaterThanOrEqual(3);
      for (const value of [fifo, "/dev/zero", dir, big]) {
        const outcome = attempt(() => loadConfig({ env: envWith(leaf, value) }));
        expect("error" in outcome, `${leaf.path} = ${value} loaded`).toBe(true);
        expectClear(outcome, leaf, value);
      }
    },
  );

  it("CONFIG_FILE too", () => {
    for (const value of [fifo, "/dev/zero", dir, big]) {
      const problems = attemptProblems(() => loadConfig({ env: { ...BASE, CONFIG_FILE: value } }));
      expect(problems).toEqual([
        expect.stringMatching(
          /^config file .*: cannot read it \((not a regular file|larger than 1024 KiB|EISDIR)\)$/,
        ),
      ]);
    }
  });
});
