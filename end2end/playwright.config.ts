// Playwright runs the console in Debian's Chromium against a real ota-server that serves the
// freshly built dist/ and a new demo database. `cargo xtask test` sets the variables below;
// run by hand, build first (`trunk build --release --offline`, `cargo build -p ota-server`).
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchOptions } from './chromium';

const port = Number(process.env.OTA_E2E_PORT ?? 18080);
const server = resolve(process.env.OTA_SERVER_BIN ?? '../target/debug/ota-server');
// Workers load this file again; the variable makes them agree on one data directory.
process.env.OTA_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'ota-e2e-'));
const dataDir = process.env.OTA_E2E_DATA;
// Every call is signed: an admin key, made before the server first opens the data directory,
// and the console starts signed in with it (tests of signing in start without).
process.env.OTA_E2E_KEY ??= execFileSync(server, [
  'access-key', 'create', '--name', 'e2e-admin', '--policy', 'admin', '--data-dir', dataDir, '--json',
]).toString();
const key = JSON.parse(process.env.OTA_E2E_KEY);
const origin = `http://127.0.0.1:${port}`;
const credentials = { [`${origin}/`]: { Kind: 'AccessKey', AccessKeyId: key.AccessKeyId, AccessKeySecret: key.AccessKeySecret } };

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One browser at a time: two cores, and the suite shares one server.
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: process.env.OTA_E2E_RESULTS ?? 'results.json' }]],
  use: {
    baseURL: origin,
    storageState: {
      cookies: [],
      origins: [{ origin, localStorage: [{ name: 'ota-console.credentials', value: JSON.stringify(credentials) }] }],
    },
    browserName: 'chromium',
    locale: 'en-US',
    // Charts appear at once (the console honours reduced motion), so a click lands where drawn.
    reducedMotion: 'reduce',
    trace: 'retain-on-failure',
    launchOptions,
  },
  webServer: {
    command: `"${server}" serve --listen 127.0.0.1:${port} --mqtt-listen 127.0.0.1:0 --data-dir "${dataDir}" --console-dir ../dist --seed-demo`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
