/**
 * Every secret the tests hand to the bridge, in one place: the whole-suite scan (test/support/captureGlobal.ts)
 * fails the run if any exported string here, or the simulator's default API key, appears in anything a test
 * captured (logs at trace, CLI output, /healthz and /metrics bodies, MQTT payloads). Values are distinctive so a
 * hit cannot be a coincidence; export nothing here that is not a secret.
 */

/** A TrueNAS-shaped key (`<id>-<64 chars>`) for a simulator started with `apiKey`. */
export const SECRET_API_KEY = `1-${"SeCrEtApIkEy".repeat(5).padEnd(64, "Q")}`;

/** A well-formed key no NAS accepts: for configurations that never reach one. */
export const UNUSED_API_KEY = `1-${"UnUsEdKeYnEvErSeNt".repeat(4).padEnd(64, "k")}`;

/** The password of a broker that requires one. */
export const SECRET_MQTT_PASSWORD = "MqTtPaSsWoRd-7f3c9e1a-never-print-me";

/** A password the broker refuses: a wrong password is still a secret and must not be printed either. */
export const WRONG_MQTT_PASSWORD = "WrOnGmQtTpAsS-4b2d81c0-never-print-me";
