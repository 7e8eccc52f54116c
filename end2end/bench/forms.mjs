// `cargo xtask bench forms` runs this against a release ota-server with the demo dataset and
// the console: how fast the browser computes a package file's digests (SHA-256 and MD5, in
// the console's release wasm), and how long from "Create batch" to the new batch's page with
// its first table painted. Usage: node bench/forms.mjs ORIGIN FIRMWARE_ID → one JSON line, where
// FIRMWARE_ID is the package to make batches of (the demo's sm200-main-3_1_0); signed in with the
// key in ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET (credentials.mjs).
import { chromium } from '@playwright/test';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signIn } from './credentials.mjs';

const [origin, firmwareId] = process.argv.slice(2);
const MIB = 1024 * 1024;
const FILE_MIB = 256;
const HASH_ROUNDS = 3;
const SUBMITS = 10;

// A package file of random bytes, written in slices so that memory stays small.
const dir = mkdtempSync(join(tmpdir(), 'ota-bench-forms-'));
const file = join(dir, 'bench-package.bin');
const out = openSync(file, 'w');
const slice = Buffer.alloc(16 * MIB);
for (let written = 0; written < FILE_MIB * MIB; written += slice.length) writeSync(out, randomFillSync(slice));
closeSync(out);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});

// Creating a package through the form: the hashing is timed by the console's own marks.
const hashing = { SHA256: [], MD5: [] };
let made = 0;
for (const method of Object.keys(hashing)) {
  for (let round = 0; round < HASH_ROUNDS; round++) {
    const context = await browser.newContext();
    await signIn(context, origin);
    const page = await context.newPage();
    await page.goto(`${origin}/packages/new`);
    await page.locator('#pkg-product option[value="a1Hvac3CtlM"]').waitFor({ state: 'attached' });
    await page.selectOption('#pkg-product', 'a1Hvac3CtlM');
    made += 1;
    await page.fill('#pkg-name', `bench-${made}`);
    await page.fill('#pkg-version', `9.0.${made}`);
    await page.selectOption('#pkg-sign', method);
    await page.setInputFiles('#pkg-files', file);
    await page.click('form.create-form button[type=submit]');
    await page.waitForFunction(() => performance.getEntriesByName('ota-hash-end').length > 0, null, { timeout: 120_000 });
    const ms = await page.evaluate(
      () => performance.getEntriesByName('ota-hash-end')[0].startTime - performance.getEntriesByName('ota-hash-start')[0].startTime,
    );
    hashing[method].push((FILE_MIB * MIB) / 1e6 / (ms / 1000));
    // Let the upload and create finish, so that the next round starts from a quiet server.
    await page.waitForURL(/\/packages\/(?!new)[^/?]+$/, { timeout: 120_000 });
    await context.close();
  }
}
rmSync(dir, { recursive: true, force: true });

// From the click on "Create batch" to the batch page's first table of devices, painted.
const submits = [];
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await signIn(context, origin);
const page = await context.newPage();
for (let i = 0; i < SUBMITS; i++) {
  await page.goto(`${origin}/packages/${firmwareId}/batches/new`);
  await page.locator('form.wizard .actions button.primary').click();
  await page.locator('#batch-rate').waitFor();
  await page.locator('form.wizard .actions button.primary').click();
  await page.locator('section.dry-run .headline').waitFor();
  const took = await page.evaluate(async () => {
    const started = performance.now();
    document.querySelector('form.wizard .actions button.primary').click();
    await new Promise((done) => {
      const look = () => {
        if (document.querySelector('.results[data-shown] table.tasks tbody tr')) {
          requestAnimationFrame(() => setTimeout(done, 0));
        } else {
          requestAnimationFrame(look);
        }
      };
      look();
    });
    return performance.now() - started;
  });
  submits.push(took);
}
await browser.close();
console.log(JSON.stringify({ fileMiB: FILE_MIB, hashing, submits }));
