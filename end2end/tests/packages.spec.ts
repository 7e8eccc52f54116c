// The update package list and a package's information tab, against the demo dataset
// (24 packages; the newest is hc3-ctrl-2_0_0).
import { type Page, expect, test } from '@playwright/test';
import { freePort, keyOf, privateServer, remember, staticHost, watchConsole } from './support';

const rows = (page: Page) => page.locator('table.data tbody tr');
const summary = (page: Page) => page.locator('.pager .summary');
const searchBox = (page: Page, name = 'Search') => page.getByRole('searchbox', { name });
/** The API's own refusals show up as failed resources; tests that expect one allow it. */
const apiRefusal = /status of 404 .*\(http:\/\/127\.0\.0\.1:\d+\/\)/;

test('the seeded package list renders, newest first', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/packages');
  await expect(page.getByRole('heading', { level: 1, name: 'Update packages' })).toBeVisible();
  await expect(rows(page)).toHaveCount(10);
  await expect(rows(page).first()).toContainText('hc3-ctrl-2_0_0');
  await expect(rows(page).first()).toContainText('HVAC controller HC-3');
  await expect(rows(page).first().locator('.badge')).toHaveText('Not verified');
  await expect(summary(page)).toHaveText('1–10 of 24');
  // The README's picture: refreshed on request, so that test runs leave the tree clean.
  const screenshot = process.env.OTA_UPDATE_SCREENSHOTS ? '../docs/screenshots/packages.png' : 'test-results/packages.png';
  await page.screenshot({ path: screenshot, fullPage: true });
  console.expectClean();
});

test('search filters the list and lives in the URL', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/packages');
  await searchBox(page).fill('modem');
  await expect(page).toHaveURL(/\?q=modem$/);
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(0)).toContainText('gw4-modem-fw-8_3');
  await page.reload();
  await expect(searchBox(page)).toHaveValue('modem');
  await expect(rows(page)).toHaveCount(2);

  await searchBox(page).fill('no-such-package');
  await expect(page.getByText('No update packages match “no-such-package”.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(summary(page)).toHaveText('1–10 of 24');
  await expect(searchBox(page)).toHaveValue('');

  // Enter searches at once; a link elsewhere in the app brings the box along.
  await searchBox(page).fill('ipc7');
  await searchBox(page).press('Enter');
  await expect(summary(page)).toHaveText('1–5 of 5');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Update packages' }).click();
  await expect(searchBox(page)).toHaveValue('');
  await expect(summary(page)).toHaveText('1–10 of 24');
  console.expectClean();
});

test('pages and page sizes are links that survive a reload', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/packages');
  const pager = page.getByRole('navigation', { name: 'Pagination' });
  await pager.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(summary(page)).toHaveText('11–20 of 24');
  await pager.getByRole('link', { name: 'Last' }).click();
  await expect(rows(page)).toHaveCount(4);
  await expect(rows(page).last()).toContainText('hc3-ctrl-1_8_0');
  await page.reload();
  await expect(summary(page)).toHaveText('21–24 of 24');
  await page.goBack();
  await expect(summary(page)).toHaveText('11–20 of 24');
  await page.goForward();
  await expect(summary(page)).toHaveText('21–24 of 24');
  await pager.getByRole('link', { name: '1', exact: true }).click();
  await expect(summary(page)).toHaveText('1–10 of 24');

  await page.getByLabel('Per page').selectOption('50');
  await expect(page).toHaveURL(/size=50/);
  await expect(rows(page)).toHaveCount(24);
  await expect(page.locator('.pager [aria-current="page"]')).toHaveText('1');
  console.expectClean();
});

test('a link past the last page says so and leads back', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/packages?page=9');
  await expect(page.getByText('This page is past the end of the list.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'First' }).click();
  await expect(rows(page)).toHaveCount(10);
  console.expectClean();
});

test('the console speaks Japanese and remembers it', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/packages');
  await page.getByLabel('Language').selectOption('ja');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('更新パッケージ');
  await expect(page.getByRole('columnheader', { name: '更新パッケージ名' })).toBeVisible();
  await expect(rows(page).first().locator('.badge')).toHaveText('未検証');
  await expect(summary(page)).toHaveText('24 件中 1–10 件');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page).toHaveTitle('OTA コンソール');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('更新パッケージ');
  await searchBox(page, '検索').fill('防犯');
  await expect(rows(page)).toHaveCount(1);
  await page.getByRole('link', { name: '防犯カメラ_ファームウェア_520' }).click();
  await page.getByRole('link', { name: '更新パッケージ情報' }).click();
  await expect(page.locator('dl.fields')).toContainText('夜間撮影の画質改善');
  await expect(page.locator('dl.fields')).toContainText('防犯カメラ IPC-7 (a1Cam7IpcZr)');
  await expect(page.locator('.page-header .badge')).toHaveText('検証済み');
  const field = (label: string) => page.locator('dl.fields .field').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
  await expect(field('作成日時')).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
  await expect(field('検証の進捗')).toHaveText('100%');

  // Dates and percentages follow a switch of language without a reload.
  await page.getByLabel('言語').selectOption('en');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Package information');
  await expect(field('Created')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  await expect(field('Verification progress')).toHaveText('100 %');
  console.expectClean();
});

test.describe('in a browser set to Japanese', () => {
  test.use({ locale: 'ja-JP' });

  test('the console starts in Japanese', async ({ page }) => {
    const console = watchConsole(page);
    await page.goto('/packages');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('更新パッケージ');
    await expect(page.getByLabel('言語')).toHaveValue('ja');
    console.expectClean();
  });
});

test.describe('in a browser set to Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('the console starts in Simplified Chinese, with dates as the locale writes them', async ({ page }) => {
    const console = watchConsole(page);
    await page.goto('/packages');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('升级包');
    await expect(page.getByLabel('语言')).toHaveValue('zh');
    await expect(page.getByLabel('语言').locator('option')).toHaveText(['English', '日本語', '简体中文']);
    await expect(page.locator('main table tbody tr').first().locator('time')).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    console.expectClean();
  });
});

test('a package chosen while a typed search still waits opens, and the search does not pull the page back', async ({ page }) => {
  // The package page's code comes slowly, as on a poor link: longer than the search waits after
  // the click, even when the background load asked for it before.
  let clicked = () => {};
  const click = new Promise<void>((resolve) => (clicked = resolve));
  await page.route(/split_package_pages_\d+[^/]*\.wasm$/, async (route) => {
    await click;
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await page.goto('/packages?q=sm200-main-3_2_0');
  const link = page.getByRole('link', { name: 'sm200-main-3_2_0', exact: true });
  await expect(link).toBeVisible();
  await searchBox(page).fill('gw4');
  await link.click();
  clicked();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('sm200-main-3_2_0');
  await expect(page).toHaveURL(/\/packages\/[0-9A-Za-z]{26}$/);
});

test('a package page is a deep link that survives a reload', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/packages?q=sm200-main-3_2_1');
  await page.getByRole('link', { name: 'sm200-main-3_2_1' }).click();
  await expect(page).toHaveURL(/\/packages\/[0-9A-Za-z]{26}$/);
  await page.getByRole('link', { name: 'Package information' }).click();
  await expect(page).toHaveURL(/\/packages\/[0-9A-Za-z]{26}\?tab=info$/);
  const detail = page.url();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('sm200-main-3_2_1');
  await expect(page.locator('dl.fields')).toContainText('Smart meter SM-200 (a1SMtr200Qx)');
  await expect(page.locator('dl.fields')).toContainText('3.2.1');
  await expect(page.locator('dl.fields')).toContainText('50 %');
  await expect(page.locator('.page-header .badge')).toHaveText('Verifying');

  await page.getByRole('link', { name: 'All update packages' }).click();
  await expect(page).toHaveURL(/\/packages$/);
  await page.goBack();
  await expect(page).toHaveURL(detail);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('sm200-main-3_2_1');
  console.expectClean();
});

test('a package that does not exist is explained, with its code', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/packages/doesNotExist');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This update package does not exist.');
  await expect(alert).toContainText('iot.ota.FirmwareNotFound');
  await expect(alert.locator('dl.meta dd').nth(1)).toHaveText(/^[0-9A-F-]{36}$/);
  console.expectClean([apiRefusal]);
});

test('an unknown page says so and leads back', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/nowhere');
  await expect(page.getByRole('heading', { name: 'This page does not exist.' })).toBeVisible();
  await page.getByRole('link', { name: 'All update packages' }).click();
  await expect(rows(page)).toHaveCount(10);
  console.expectClean();
});

test('with the backend stopped the page says so, and recovers when it returns', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await page.goto(`${server.origin}/packages`);
    await expect(rows(page)).toHaveCount(10);

    await server.stop();
    await searchBox(page).fill('gw4');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(`Cannot reach the OTA backend at ${server.origin}/.`);
    await expect(alert).toContainText('Retrying automatically');

    // By itself, once the backend is back.
    await server.start();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(rows(page)).toHaveCount(7);
    await expect(rows(page).first()).toContainText('gw4-os-2_6_0-rc1');

    // And at once, with the Retry button.
    await server.stop();
    await searchBox(page).fill('gw4-os');
    await expect(page.getByRole('alert')).toBeVisible();
    await server.start();
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(rows(page)).toHaveCount(5);
    // The failed fetches are the expected ones; nothing else may have gone wrong.
    console.expectClean([/Failed to load resource: net::ERR_CONNECTION_REFUSED/]);
  } finally {
    await server.stop();
  }
});

test('the same build works under a sub-path', async ({ page }) => {
  const server = await privateServer({ consolePath: '/fleet/ota/' });
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await page.goto(`${server.origin}/fleet/ota`);
    await expect(page).toHaveURL(`${server.origin}/fleet/ota/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('All environments');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Update packages' }).click();
    await expect(page).toHaveURL(`${server.origin}/fleet/ota/packages`);
    await expect(rows(page)).toHaveCount(10);
    await searchBox(page).fill('ipc7-fw-5_1_0');
    await expect(page).toHaveURL(`${server.origin}/fleet/ota/packages?q=ipc7-fw-5_1_0`);
    await page.getByRole('link', { name: 'ipc7-fw-5_1_0', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`^${server.origin}/fleet/ota/packages/[0-9A-Za-z]{26}$`));
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('ipc7-fw-5_1_0');
    await page.getByRole('link', { name: 'All update packages' }).click();
    await expect(page).toHaveURL(`${server.origin}/fleet/ota/packages`);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('a plain static host serves the console from a sub-path too', async ({ page, baseURL }) => {
  const host = await staticHost('/cdn/ota/', baseURL!);
  await remember(page, `${host.origin}/`, keyOf(baseURL!));
  try {
    const console = watchConsole(page);
    await page.goto(`${host.origin}/cdn/ota/packages?q=hc3`);
    await expect(rows(page)).toHaveCount(4);
    await page.getByRole('link', { name: 'hc3-ctrl-1_9_0' }).click();
    await expect(page).toHaveURL(new RegExp(`^${host.origin}/cdn/ota/packages/[0-9A-Za-z]{26}$`));
    // A fresh load of a deep link: the page itself works out where it is mounted.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('hc3-ctrl-1_9_0');
    await page.getByRole('link', { name: 'All update packages' }).click();
    await expect(page).toHaveURL(`${host.origin}/cdn/ota/packages`);
    // Before the page's script sets <base>, the browser may guess asset URLs from the root;
    // those guesses 404 and are harmless. Nothing else may fail.
    console.expectClean([/status of 404.*\(http:\/\/127\.0\.0\.1:\d+\/(main|ota-console|favicon)-/]);
  } finally {
    await host.close();
  }
});

test('the environment switcher sends every call to the chosen backend', async ({ page, baseURL }) => {
  const nowhere = `http://127.0.0.1:${await freePort()}/`;
  const host = await staticHost('/', baseURL!, {
    environments: [
      { id: 'lab', name: 'Lab', iotInstanceId: 'iot-default' },
      { id: 'field', name: 'Field fleet', endpoint: nowhere },
    ],
  });
  await remember(page, `${host.origin}/`, keyOf(baseURL!));
  try {
    const console = watchConsole(page);
    const instanceSent = page.waitForRequest((r) => r.method() === 'POST' && /IotInstanceId=iot-default/.test(r.postData() ?? ''));
    await page.goto(`${host.origin}/packages?q=gw4`);
    await expect(rows(page)).toHaveCount(7);
    await instanceSent;

    await page.getByLabel('Environment').selectOption({ label: 'Field fleet' });
    await expect(page).toHaveURL(`${host.origin}/packages?env=field`);
    await expect(page.getByRole('alert')).toContainText(`Cannot reach the OTA backend at ${nowhere}.`);
    await page.reload();
    await expect(page.getByLabel('Environment')).toHaveValue('field');
    await expect(page.getByRole('alert')).toContainText(nowhere);

    await page.getByLabel('Environment').selectOption({ label: 'Lab' });
    await expect(page).toHaveURL(`${host.origin}/packages`);
    await expect(rows(page)).toHaveCount(10);
    console.expectClean([/Failed to load resource: net::ERR_CONNECTION_REFUSED/]);
  } finally {
    await host.close();
  }
});

test('a broken config.json is explained instead of a blank page', async ({ page, baseURL }) => {
  const host = await staticHost('/', baseURL!, { environments: [{ id: 'lab', name: 'Lab', endpiont: '/' }] });
  try {
    const console = watchConsole(page);
    await page.goto(`${host.origin}/packages`);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText("The console's configuration (config.json) could not be loaded.");
    await expect(alert).toContainText('unknown field `endpiont`');
    console.expectClean();
  } finally {
    await host.close();
  }
});

test('against a backend without the search extension, search matches exact versions', async ({ page }) => {
  const server = await privateServer({ plain: true });
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await page.goto(`${server.origin}/packages`);
    await expect(rows(page)).toHaveCount(10);
    await searchBox(page).fill('3.1.0');
    await expect(rows(page)).toHaveCount(2);
    await expect(rows(page).first()).toContainText('sm200-main-3_1_0');
    await searchBox(page).fill('modem');
    await expect(page.getByText('No update packages match “modem”.')).toBeVisible();
    // The backend refused the discovery call it does not know; nothing else failed.
    console.expectClean([/status of 400/]);
  } finally {
    await server.stop();
  }
});
