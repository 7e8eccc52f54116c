// `cargo xtask bench console` runs this against a release ota-server holding a batch of a
// million tasks: how long an operator waits to see a batch page, and to switch its state tabs.
// Usage: node bench/console.mjs ORIGIN FIRMWARE_ID JOB_ID  → one JSON line of milliseconds;
// signed in with the key in ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET (credentials.mjs).
import { chromium } from '@playwright/test';
import { signIn } from './credentials.mjs';

const [origin, firmwareId, jobId] = process.argv.slice(2);
const OPENS = 15;
const ROUNDS = 20;
const STATES = ['ALL', 'CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const batchUrl = `${origin}/packages/${firmwareId}/batches/${jobId}`;

// Until the rows of `state` are in the page and the frame showing them has been painted.
const painted = (state) =>
  new Promise((done) => {
    const look = () => {
      if (document.querySelector(`.results[data-shown="${state}"] table.tasks tbody tr`)) {
        requestAnimationFrame(() => setTimeout(done, 0));
      } else {
        requestAnimationFrame(look);
      }
    };
    look();
  });

// Opening the batch page in a fresh browser context (nothing cached): navigation start to
// the first painted table of devices.
const opens = [];
for (let i = 0; i < OPENS; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await signIn(context, origin);
  const page = await context.newPage();
  await page.goto(batchUrl, { waitUntil: 'commit' });
  await page.evaluate(painted, 'ALL');
  opens.push(await page.evaluate(() => performance.now()));
  await context.close();
}

// Switching tabs: from the click to the painted rows of the new state.
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await signIn(context, origin);
const page = await context.newPage();
await page.goto(batchUrl);
await page.evaluate(painted, 'ALL');
// The state tabs come with the batch's counts, which may paint after the first rows.
await page.waitForSelector('nav.state-tabs a[data-state]');
const switches = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const state of [...STATES.slice(1), 'ALL']) {
    const took = await page.evaluate(
      async ({ state, painted }) => {
        const wait = new Function(`return (${painted})`)();
        const started = performance.now();
        document.querySelector(`nav.state-tabs a[data-state="${state}"]`).click();
        await wait(state);
        return performance.now() - started;
      },
      { state, painted: painted.toString() },
    );
    switches.push(took);
  }
}
await browser.close();
console.log(JSON.stringify({ opens, switches }));
