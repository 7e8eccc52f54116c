// The console never dies on navigation: leaving a page while its work is still under way
// (a chart whose script is slow, answers still on their way) leaves no error behind, and the
// next click works. Should the console fail anyway, it says so and offers a reload.
import { type Page, expect, test } from '@playwright/test';
import { apiPackageCounts, openPackage, openState, stateTab, taskRows } from './pages';
import { privateServer, signedGet, watchConsole } from './support';

/** How long ECharts' script takes to arrive in these tests, and how many times a page is left. */
const SCRIPT_DELAY_MS = 2500;
const VISITS = 20;
/** How long each API answer takes when pages are left with calls under way. */
const API_DELAY_MS = 400;

/** ECharts' script arrives only after SCRIPT_DELAY_MS, on every load (routing bypasses the cache). */
async function slowCharts(page: Page) {
  await page.route('**/vendor/echarts/echarts.min.js', async (route) => {
    await new Promise((done) => setTimeout(done, SCRIPT_DELAY_MS));
    // The page may have been left meanwhile; its request is gone then.
    await route.continue().catch(() => undefined);
  });
}

async function packageId(page: Page, name: string): Promise<string> {
  const answer = await (await signedGet(page, '/?Action=ListOTAFirmware&PageSize=100&CurrentPage=1')).json();
  return answer.FirmwareInfo.SimpleFirmwareInfo.find((p: { FirmwareName: string }) => p.FirmwareName === name).FirmwareId;
}

async function runningBatch(page: Page, firmwareId: string): Promise<string> {
  const answer = await (await signedGet(page, `/?Action=ListOTAJobByFirmware&FirmwareId=${firmwareId}&PageSize=100&CurrentPage=1`)).json();
  return answer.Data.SimpleOTAJobInfo.find((j: { JobStatus: string }) => j.JobStatus === 'IN_PROGRESS').JobId;
}

/** Clicks a main navigation link and waits for its page: the console still answers. */
async function go(page: Page, link: string, heading: string) {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: link, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
}

/**
 * Opens `url` VISITS times and leaves it each time at another moment, spread from at once to
 * well after its chart `chartId` was drawn; the next two clicks must work every time.
 */
async function leaveAtEveryMoment(page: Page, url: string, chartId: string) {
  const console = watchConsole(page);
  await slowCharts(page);
  // The dashboard draws last: up to about a second after the script, with its three sections.
  const span = SCRIPT_DELAY_MS + 3000;
  let leftBeforeDrawn = 0;
  let leftAfterDrawn = 0;
  for (let visit = 0; visit < VISITS; visit++) {
    await page.goto(url);
    // One moment in each of VISITS equal slices of the span, somewhere inside it.
    await page.waitForTimeout(Math.floor(((visit + Math.random()) / VISITS) * span));
    const drawn = (await page.locator(`#${chartId} canvas`).count()) > 0;
    if (drawn) leftAfterDrawn++;
    else leftBeforeDrawn++;
    await go(page, 'Update packages', 'Update packages');
    await go(page, 'Modules', 'Modules');
  }
  // Both kinds of moment were tried, or the test proves less than it says.
  expect(leftBeforeDrawn, 'visits left before the chart was drawn').toBeGreaterThan(2);
  expect(leftAfterDrawn, 'visits left after the chart was drawn').toBeGreaterThan(2);
  console.expectClean();
}

test.describe('leaving a page with charts at any moment', () => {
  test.describe.configure({ timeout: 240_000 });

  test("a package's data analysis", async ({ page }) => {
    const firmwareId = await packageId(page, 'sm200-main-3_2_0');
    await leaveAtEveryMoment(page, `/packages/${firmwareId}?tab=analysis`, 'outcomes-chart');
  });

  test("a batch's progress", async ({ page }) => {
    const firmwareId = await packageId(page, 'sm200-main-3_2_0');
    const jobId = await runningBatch(page, firmwareId);
    await leaveAtEveryMoment(page, `/packages/${firmwareId}/batches/${jobId}?tab=progress`, 'progress-chart');
  });

  test('the dashboard', async ({ page }) => {
    await leaveAtEveryMoment(page, '/dashboard', 'running-chart');
  });
});

test('every page, reached by clicking and left before it has finished, leaves no error', async ({ page }) => {
  test.setTimeout(120_000);
  const console = watchConsole(page);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Every answer of the backend takes a while, so that each page is left with calls under way.
  await page.route(
    (url) => url.searchParams.has('Action') || url.pathname === '/',
    async (route) => {
      if (route.request().method() === 'POST' || new URL(route.request().url()).searchParams.has('Action')) {
        await new Promise((done) => setTimeout(done, API_DELAY_MS));
      }
      await route.continue().catch(() => undefined);
    },
  );
  const tab = (name: string) => page.locator(`nav.tabs a[data-tab="${name}"]`);
  await page.goto('/');
  // The seed's path: an instance, its packages, a package and each tab, a batch and each tab,
  // a device and back; each left as soon as the next link is there.
  await page.locator('table.environments tr[data-instance] th a').first().click();
  await page.getByRole('link', { name: 'sm200-main-3_2_0', exact: true }).click();
  for (const name of ['devices', 'analysis', 'info', 'batches']) await tab(name).click();
  await page.locator('table.batches tbody tr').filter({ has: page.locator('.state-counts li[data-state="QUEUED"]') }).locator('a.primary').first().click();
  for (const name of ['progress', 'info', 'devices']) await tab(name).click();
  await taskRows(page).first().locator('td a').first().click();
  await page.locator('nav.breadcrumb a[data-crumb="batch"]').click();
  await expect(page.locator('nav.tabs a[data-tab="devices"]')).toHaveAttribute('aria-current', 'page');
  // Every section of the main navigation, the forms, and a page that does not exist.
  for (const [link, heading] of [
    ['Dashboard', 'Dashboard'],
    ['Modules', 'Modules'],
    ['All environments', 'All environments'],
    ['Update packages', 'Update packages'],
  ]) {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  }
  await page.getByRole('link', { name: 'New package' }).click();
  await expect(page.locator('form.create-form')).toBeVisible();
  await openPackage(page, '', 'sm200-main-3_1_0', 'sm200-main-3_1_0');
  await page.locator('.header-actions a.button.primary').click();
  await expect(page.locator('form.wizard')).toBeVisible();
  await page.goBack();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Update packages');
  await page.goto('/no/such/page');
  await go(page, 'Update packages', 'Update packages');
  expect(errors).toEqual([]);
  console.expectClean();
});

test('a failure inside the console says so, in the operator’s language, with a reload that keeps the place', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openPackage(page);
  const here = page.url();
  // What any panic does, on purpose: nothing the operator can do should ever cause one.
  const stop = () =>
    page.evaluate(() => {
      // @ts-expect-error the bindings Trunk's loader puts on the page
      setTimeout(() => window.wasmBindings.otaConsoleCrashDrill(), 0);
    });
  await stop();
  const notice = page.getByRole('alertdialog', { name: 'The console stopped' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Reload to carry on where you were');
  expect(errors.join('\n')).toMatch(/unreachable|crash drill/);
  // It cannot be dismissed to a page that would ignore every click.
  await page.keyboard.press('Escape');
  await expect(notice).toBeVisible();
  await notice.getByRole('link', { name: 'Reload' }).click();
  await expect(page).toHaveURL(here);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('sm200-main-3_2_0');
  await expect(notice).toHaveCount(0);

  // In Japanese when the console speaks Japanese.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ja');
  await stop();
  await expect(page.getByRole('alertdialog', { name: 'コンソールが停止しました' })).toBeVisible();
  await expect(page.getByRole('link', { name: '再読み込み' })).toBeVisible();
});

test('a question stays answerable while the list that asked it is read again', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // A package's device list: read again after each action, while the page stays.
    await openPackage(page, server.origin, '防犯カメラ_ファームウェア_520', '防犯カメラ_ファームウェア_520');
    const firmwareId = new URL(page.url()).pathname.split('/').pop()!;
    await page.locator('nav.tabs a[data-tab="devices"]').click();
    await openState(page, 'CONFIRM');
    const before = await apiPackageCounts(page, firmwareId, server.origin);
    // One device's confirmation takes a while to be answered.
    await page.route(
      (url) => url.origin === server.origin,
      async (route) => {
        if (route.request().headers()['x-acs-action'] === 'ConfirmOTATask') await new Promise((done) => setTimeout(done, 1500));
        await route.continue().catch(() => undefined);
      },
    );
    await taskRows(page).first().getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    // Meanwhile the operator asks to confirm the whole page; the first answer then reads the
    // list again behind the open question, making its rows and buttons anew.
    await page.locator('button.page-action').click();
    const question = page.getByRole('dialog');
    await expect(question).toContainText('devices on this page?');
    await expect(stateTab(page, 'CONFIRM').locator('.count')).toHaveText(String(before.CONFIRM - 1));
    await expect(question).toBeVisible();
    await question.getByRole('button', { name: 'Confirm' }).click();
    await expect(question).toBeHidden();
    // The question was about the list as it was, one of whose tasks is confirmed already: the
    // backend refuses the whole set, and the page says so.
    await expect(page.locator('.panel.error[role="alert"]')).toContainText('Nothing was changed.');
    expect((await apiPackageCounts(page, firmwareId, server.origin)).CONFIRM).toBe(before.CONFIRM - 1);
    await openState(page, 'QUEUED');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});
