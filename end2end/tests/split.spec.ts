// The console's wasm is split by groups of pages (xtask/src/split.rs, src/app.rs): the start
// page needs the main module alone, and the other pages' code follows in the background once the
// console is up.
import { type Page, expect, test } from '@playwright/test';
import { watchConsole } from './support';

/** The chunk files of this build, as its loader names them. */
async function chunkFiles(page: Page): Promise<string[]> {
  const loader = await page.locator('link[rel="modulepreload"][href*="-split-"]').getAttribute('href');
  const text = await (await page.request.get(new URL(loader!, page.url()).href)).text();
  return [...text.matchAll(/new URL\("\.\/([^"]+\.wasm)"/g)].map((m) => m[1]);
}

const isChunk = (url: string) => /\/(split_|chunk_)[^/]*\.wasm$/.test(new URL(url).pathname);
const fileOf = (url: string) => new URL(url).pathname.split('/').pop()!;
const PACKAGE_LIST = /split_package_list_\d+-[0-9a-f]+\.wasm$/;

test("the start page works without any page's code, which then comes in the background, each file once", async ({ page }) => {
  const console = watchConsole(page);
  // Held until the start page is shown: it must not need them.
  let held = 0;
  await page.route(isChunk, () => {
    held++;
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'All environments' })).toBeVisible();
  await expect(page.locator('table.environments [data-reachable="true"]').first()).toBeVisible();

  const fetched: string[] = [];
  page.on('requestfinished', (request) => {
    if (request.method() === 'GET' && isChunk(request.url())) fetched.push(fileOf(request.url()));
  });
  await expect.poll(() => held).toBeGreaterThan(0);
  await page.unroute(isChunk); // lets the held requests go on
  const files = await chunkFiles(page);
  expect(files.length).toBeGreaterThanOrEqual(4); // a split per group of pages, and what they share
  await expect.poll(() => new Set(fetched).size, { timeout: 30_000 }).toBe(files.length);
  expect(fetched.sort()).toEqual([...files].sort());

  // Every page opens at once now, fetching nothing more.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  expect(fetched).toHaveLength(files.length);
  console.expectClean();
});

test('a page opened by its address fetches its code beside the main module, a few files, each once', async ({ page }) => {
  const console = watchConsole(page);
  const requested: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && isChunk(request.url())) requested.push(fileOf(request.url()));
  });
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  const preloaded = (await page.locator('link[rel="preload"][as="fetch"]').evaluateAll((links) =>
    links.map((link) => (link as HTMLLinkElement).href),
  )).filter(isChunk).map(fileOf);
  expect(preloaded.length).toBeGreaterThan(0);
  expect(preloaded.length).toBeLessThan(10);
  // The page's own files come first, preloaded and not asked for again; the rest follow.
  const files = await chunkFiles(page);
  await expect.poll(() => requested.length, { timeout: 30_000 }).toBe(files.length);
  expect(requested.slice(0, preloaded.length).sort()).toEqual([...preloaded].sort());
  expect([...requested].sort()).toEqual([...files].sort());
  console.expectClean();
});

test('a page whose code fails to arrive, then arrives altered, is asked for again, and opens', async ({ page }) => {
  let attempts = 0;
  await page.route(PACKAGE_LIST, (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    attempts++;
    if (attempts === 1) return route.abort('connectionreset');
    // Not this build's bytes (a cache gone wrong): its integrity refuses them.
    if (attempts === 2) return route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('\0asm\x01\0\0\0') });
    return route.continue();
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'All environments' })).toBeVisible();
  await page.getByRole('link', { name: 'Update packages' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Update packages' })).toBeVisible();
  await expect(page.locator('table.data tbody tr').first()).toBeVisible();
  expect(attempts).toBe(3);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
});

test('a page whose code is gone for good (an older release) stops the console with a notice and a reload, only when opened', async ({ page }) => {
  let attempts = 0;
  await page.route(PACKAGE_LIST, (route) => {
    if (route.request().method() === 'GET') attempts++;
    return route.fulfill({ status: 404, body: 'gone' });
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'All environments' })).toBeVisible();
  // The background load fails quietly: the start page goes on working.
  await expect.poll(() => attempts, { timeout: 30_000 }).toBe(1);
  const notice = page.getByRole('alertdialog', { name: 'The console stopped' });
  await expect(notice).toHaveCount(0);

  await page.getByRole('link', { name: 'Update packages' }).click();
  await expect(notice).toBeVisible();
  expect(attempts).toBe(2);
  await expect(notice.getByRole('link', { name: 'Reload' })).toHaveAttribute('href', /^http:\/\/[^/]+\/$/);
});
