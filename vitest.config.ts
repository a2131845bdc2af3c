import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Native addons (hnswlib, better-sqlite3) and local servers: processes isolate them best.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores on CI: keep parallelism modest so timing-sensitive end-to-end tests stay stable.
    maxWorkers: 2,
  },
});
