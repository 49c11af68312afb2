import { describe, expect, it } from "vitest";
import { InsecureTransportError, InvalidUrlError } from "../../src/truenas/errors.js";
import { isLoopbackHost, normaliseTrueNasUrl } from "../../src/truenas/url.js";

describe("normaliseTrueNasUrl", () => {
  it.each([
    ["wss://nas.local/api/current", "wss://nas.local/api/current"],
    ["nas.local", "wss://nas.local/api/current"],
    ["  nas.local  ", "wss://nas.local/api/current"],
    ["NAS.Local", "wss://nas.local/api/current"],
    ["nas.local:8443", "wss://nas.local:8443/api/current"],
    ["192.0.2.10", "wss://192.0.2.10/api/current"],
    ["fd00::1", "wss://[fd00::1]/api/current"],
    ["[fd00::1]:8443", "wss://[fd00::1]:8443/api/current"],
    ["wss://nas.local", "wss://nas.local/api/current"],
    ["wss://nas.local/", "wss://nas.local/api/current"],
    ["wss://nas.local:443/", "wss://nas.local/api/current"],
    ["wss://nas.local/websocket", "wss://nas.local/api/current"],
    ["wss://nas.local/ui/dashboard?x=1#top", "wss://nas.local/api/current"],
    ["wss://nas.local/api/current/", "wss://nas.local/api/current"],
    ["wss://nas.local/api/v25.10.0", "wss://nas.local/api/v25.10.0"],
    ["wss://nas.local/api/v25.04.2/", "wss://nas.local/api/v25.04.2"],
    ["wss://nas.local/api/vnext", "wss://nas.local/api/current"],
    ["https://nas.local", "wss://nas.local/api/current"],
    ["https://nas.local:8443/ui/", "wss://nas.local:8443/api/current"],
    ["ws://127.0.0.1:6000/api/current", "ws://127.0.0.1:6000/api/current"],
    ["ws://127.1.2.3/", "ws://127.1.2.3/api/current"],
    ["ws://localhost:8080", "ws://localhost:8080/api/current"],
    ["ws://[::1]:8080/api/v25.10.0", "ws://[::1]:8080/api/v25.10.0"],
    ["http://localhost", "ws://localhost/api/current"],
  ])("%s -> %s", (input, expected) => {
    expect(normaliseTrueNasUrl(input).url).toBe(expected);
  });

  it("reports host, TLS and loopback", () => {
    expect(normaliseTrueNasUrl("[fd00::1]:8443")).toEqual({
      url: "wss://[fd00::1]:8443/api/current",
      hostname: "fd00::1",
      secure: true,
      loopback: false,
    });
    expect(normaliseTrueNasUrl("ws://localhost")).toMatchObject({ secure: false, loopback: true });
  });

  it.each([
    "ws://nas.local/api/current",
    "ws://192.168.1.10",
    "http://nas.local",
    "ws://0.0.0.0:6000",
    "ws://[fd00::1]/",
    "ws://localhost.evil.example/",
    "ws://128.0.0.1/",
  ])("refuses plain %s with InsecureTransportError", (input) => {
    expect(() => normaliseTrueNasUrl(input)).toThrow(InsecureTransportError);
    expect(() => normaliseTrueNasUrl(input)).toThrow(/revokes an API key.*wss:\/\//);
  });

  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["ftp://nas.local", /unsupported scheme ftp:/],
    ["wss://user:pw@nas.local", /credentials/],
    ["wss://", /not a valid/],
    ["wss://nas local", /not a valid/],
  ])("rejects %j as invalid", (input, message) => {
    expect(() => normaliseTrueNasUrl(input)).toThrow(InvalidUrlError);
    expect(() => normaliseTrueNasUrl(input)).toThrow(message);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["localhost", true],
    ["LOCALHOST", true],
    ["::1", true],
    ["[::1]", true],
    ["[::ffff:7f00:1]", true],
    ["::ffff:127.0.0.1", true],
    ["[::ffff:c000:20a]", false],
    ["0.0.0.0", false],
    ["10.0.0.1", false],
    ["nas.local", false],
    ["fd00::1", false],
    ["127.example.com", false],
  ])("%s -> %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
