// The browser's part of the cluster test (crates/server/tests/api/fleet/cluster.rs): that test
// runs PostgreSQL, mosquitto and three servers, and starts this suite against the server that
// stays up while it kills the others. It passes the server's origin, an admin key and the
// batch to watch in OTA_CLUSTER_* variables; there is no web server to start here.
import { defineConfig } from '@playwright/test';
import { launchOptions } from '../chromium';

const origin = process.env.OTA_CLUSTER_ORIGIN ?? 'http://127.0.0.1:0';
const key = JSON.parse(process.env.OTA_CLUSTER_KEY ?? '{}');
const credentials = { [`${origin}/`]: { Kind: 'AccessKey', AccessKeyId: key.AccessKeyId, AccessKeySecret: key.AccessKeySecret } };

export default defineConfig({
  testDir: '.',
  timeout: 240_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: origin,
    storageState: {
      cookies: [],
      origins: [{ origin, localStorage: [{ name: 'ota-console.credentials', value: JSON.stringify(credentials) }] }],
    },
    browserName: 'chromium',
    locale: 'en-US',
    reducedMotion: 'reduce',
    launchOptions,
  },
});
