/**
 * The configuration schema: the single source of truth for every option, its documentation, default and
 * environment variable (architecture.md rule 2). The README's configuration table is generated from it.
 * File keys are nested (`mqtt.url`); environment variables are flat (`MQTT_URL`).
 */
import { GROUP_NAMES, GROUP_SCHEDULES, type GroupName } from "../groups/schedules.js";

const pollSchema = Object.fromEntries(
  GROUP_NAMES.map((group: GroupName) => [
    group,
    {
      doc:
        group === "reporting"
          ? 'When to publish realtime reporting (CPU, memory, ARC, disk I/O, network rates; TrueNAS sends it every 2 s): a cron expression (6 fields = seconds first) or "off".'
          : `When to poll the ${group} group: a cron expression (6 fields = seconds first) or "off".`,
      format: "schedule",
      default: GROUP_SCHEDULES[group],
      env: `POLL_${group.toUpperCase()}`,
    },
  ]),
);

export const CONFIG_SCHEMA = {
  truenas: {
    url: {
      doc: "TrueNAS address: wss://host/api/current, a bare host name, or host:port. ws:// only for localhost.",
      format: String,
      default: "",
      env: "TRUENAS_URL",
    },
    api_key: {
      doc: "TrueNAS API key (user menu > API Keys). A read-only admin user is enough.",
      format: String,
      default: "",
      env: "TRUENAS_API_KEY",
      sensitive: true,
    },
    api_key_file: {
      doc: "File holding the API key (Docker secret). Re-read on every login, so a new key needs no restart.",
      format: String,
      default: "",
      env: "TRUENAS_API_KEY_FILE",
    },
    verify_tls: {
      doc: "Verify the NAS's TLS certificate. Prefer ca_file for a self-signed certificate over turning this off.",
      format: "strict-boolean",
      default: true,
      env: "TRUENAS_VERIFY_TLS",
    },
    ca_file: {
      doc: "PEM file with the CA (or the self-signed certificate) that signed the NAS's certificate.",
      format: String,
      default: "",
      env: "TRUENAS_CA_FILE",
    },
    call_timeout_s: {
      doc: "Seconds to wait for one TrueNAS call before giving up on it.",
      format: "seconds",
      default: 30,
      env: "TRUENAS_CALL_TIMEOUT",
    },
  },
  mqtt: {
    url: {
      doc: "MQTT broker URL (mqtt://, mqtts://, ws:// or wss://).",
      format: "mqtt-url",
      default: "mqtt://localhost:1883",
      env: "MQTT_URL",
    },
    username: { doc: "MQTT user name.", format: "mqtt-text", default: "", env: "MQTT_USERNAME" },
    password: { doc: "MQTT password.", format: String, default: "", env: "MQTT_PASSWORD", sensitive: true },
    password_file: {
      doc: "File holding the MQTT password (Docker secret).",
      format: String,
      default: "",
      env: "MQTT_PASSWORD_FILE",
    },
    client_id: {
      doc: "MQTT client id (default: truenas2mqtt_ and a random suffix).",
      format: "mqtt-text",
      default: "",
      env: "MQTT_CLIENT_ID",
    },
    base_topic: {
      doc: "Topic under which everything is published.",
      format: "mqtt-topic",
      default: "truenas2mqtt",
      env: "MQTT_BASE_TOPIC",
    },
    max_message_bytes: {
      doc: "Largest message (topic + payload, bytes) sent; larger ones are skipped and logged once. Set it to the broker's message_size_limit or max_packet_size, so one big document cannot make the connection drop. 0 = no limit.",
      format: "byte-limit",
      default: 0,
      env: "MQTT_MAX_MESSAGE_BYTES",
    },
  },
  homeassistant: {
    discovery: {
      doc: "Publish Home Assistant MQTT discovery configs.",
      format: "strict-boolean",
      default: true,
      env: "HA_DISCOVERY",
    },
    discovery_prefix: {
      doc: "Home Assistant discovery prefix.",
      format: "mqtt-topic",
      default: "homeassistant",
      env: "HA_DISCOVERY_PREFIX",
    },
    status_topic: {
      doc: "Home Assistant birth/will topic; on `online` everything is republished.",
      format: "mqtt-topic",
      default: "homeassistant/status",
      env: "HA_STATUS_TOPIC",
    },
  },
  bridge: {
    availability_grace_s: {
      doc: "Seconds the TrueNAS session may stay down before the NAS's entities are marked unavailable.",
      format: "seconds",
      default: 30,
      env: "AVAILABILITY_GRACE",
    },
    removal_polls: {
      doc: "Consecutive polls an object must be missing before its entities are removed from Home Assistant.",
      format: "count",
      default: 3,
      env: "REMOVAL_POLLS",
    },
  },
  datasets: {
    include: {
      doc: "Dataset name patterns to include (* matches within a path segment, ** across). Empty = by depth.",
      format: "string-list",
      default: [] as string[],
      env: "DATASETS_INCLUDE",
    },
    exclude: {
      doc: "Dataset name patterns to exclude.",
      format: "string-list",
      default: [] as string[],
      env: "DATASETS_EXCLUDE",
    },
    max_depth: {
      doc: "Deepest dataset level published (1 = each pool's top-level datasets).",
      format: "depth",
      default: 1,
      env: "DATASETS_MAX_DEPTH",
    },
  },
  log: {
    level: {
      doc: "Log level.",
      format: ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
      default: "info",
      env: "LOG_LEVEL",
    },
    format: {
      doc: "Log format: json, pretty, or auto (pretty on a terminal).",
      format: ["auto", "json", "pretty"],
      default: "auto",
      env: "LOG_FORMAT",
    },
  },
  health: {
    port: {
      doc: "Port of the HTTP health and metrics server (0 disables).",
      format: "port-or-zero",
      default: 8099,
      env: "HEALTH_PORT",
    },
    host: {
      doc: "Address the health server binds to.",
      format: "host",
      default: "0.0.0.0",
      env: "HEALTH_HOST",
    },
  },
  poll: pollSchema,
};
