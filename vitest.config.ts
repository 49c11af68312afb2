import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Real sockets on loopback: keep files isolated but let them run in parallel.
    pool: "forks",
    reporters: ["default"],
    // Whole-suite secret scan (issue 6): capture everything written or published, fail the run on a leak.
    globalSetup: ["test/support/captureGlobal.ts"],
    setupFiles: ["test/support/captureSetup.ts"],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
    },
  },
});
