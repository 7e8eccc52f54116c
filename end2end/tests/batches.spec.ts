// A package's batch management tab and its batches' pages, against the demo dataset:
// sm200-main-3_2_0 has batches in most states, the cameras' 5.2.0 one waits for confirmation.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { apiCounts, batchRows, openBatchWith, openDynamicBatch, openPackage, openState, STATES, stateTab, taskRows } from './pages';
import { privateServer, signedGet, watchConsole } from './support';

test('a package opens on its batches, each with its devices counted by state', async ({ page }) => {
  const console = watchConsole(page);
  await openPackage(page);
  await expect(page.getByRole('link', { name: 'Batch management' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Batch management');
  // The list comes after the heading: count its rows once it is there.
  await expect(batchRows(page).first()).toBeVisible();
  const count = await batchRows(page).count();
  expect(count).toBeGreaterThan(1);
  for (let i = 0; i < count; i++) {
    const row = batchRows(page).nth(i);
    const jobId = await row.getAttribute('data-job-id');
    const expected = await apiCounts(page, jobId!);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    await expect(row.locator('.state-counts .total')).toHaveText(`${total.toLocaleString('en-US')} devices`);
    for (const state of STATES) {
      const item = row.locator(`.state-counts li[data-state="${state}"]`);
      if (expected[state] > 0) await expect(item.locator('strong')).toHaveText(expected[state].toLocaleString('en-US'));
      else await expect(item).toHaveCount(0);
    }
  }
  await expect(batchRows(page).first()).toContainText(/Batch update · (static|dynamic)|Verification · static/);
  await expect(batchRows(page).locator('.badge').first()).toHaveText(/In progress|Completed|Canceled|Scheduled/);
  await page.screenshot({ path: 'test-results/package-batches.png', fullPage: true });
  console.expectClean();
});

test('the tabs are links: the information tab survives a reload and back leads to the batches', async ({ page }) => {
  const console = watchConsole(page);
  await openPackage(page);
  await expect(batchRows(page).first()).toBeVisible();
  await page.getByRole('link', { name: 'Package information' }).click();
  await expect(page).toHaveURL(/\?tab=info$/);
  await page.reload();
  await expect(page.locator('dl.fields')).toContainText('3.2.0');
  await page.goBack();
  await expect(page.getByRole('link', { name: 'Batch management' })).toHaveAttribute('aria-current', 'page');
  await expect(batchRows(page).first()).toBeVisible();
  console.expectClean();
});

test.describe('in Japanese', () => {
  test.use({ locale: 'ja-JP' });

  test('batch types, states and counts read in Japanese', async ({ page }) => {
    const console = watchConsole(page);
    await openPackage(page);
    await expect(page.getByRole('link', { name: 'バッチ管理' })).toHaveAttribute('aria-current', 'page');
    await expect(batchRows(page).first()).toContainText(/一括更新|検証/);
    await expect(page.locator('.state-counts .total').first()).toHaveText(/^[\d,]+ 台$/);
    await expect(page.locator('.state-counts li[data-state]').first()).toContainText(
      /確認待ち|プッシュ予定|プッシュ済み|アップグレード中|更新済み|更新失敗|キャンセル済み/,
    );
    console.expectClean();
  });
});

test('against a backend without per-state counts, the counts come from the task lists and say so', async ({ page }) => {
  const server = await privateServer({ plain: true });
  await server.remember(page);
  try {
    const console = watchConsole(page);
    // Without the search extension, search matches exact versions.
    await openPackage(page, server.origin, '3.2.0');
    const first = batchRows(page).first();
    await expect(first.locator('.state-counts')).toHaveAttribute('title', /Counted from the task lists/);
    await expect(first.locator('.state-counts .total')).toHaveText(/^[\d,]+ devices$/);
    console.expectClean([/status of 400/]);
  } finally {
    await server.stop();
  }
});

test('a batch page counts its devices by state, and each state tab lists just those', async ({ page }) => {
  const console = watchConsole(page);
  const jobId = await openBatchWith(page, 'FAILED');
  const expected = await apiCounts(page, jobId);
  for (const state of STATES) await expect(stateTab(page, state).locator('.count')).toHaveText(expected[state].toLocaleString('en-US'));
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  await expect(stateTab(page, 'ALL').locator('.count')).toHaveText(total.toLocaleString('en-US'));

  await openState(page, 'FAILED');
  await expect(page).toHaveURL(/state=failed/);
  await expect(stateTab(page, 'FAILED')).toHaveAttribute('aria-current', 'page');
  await expect(taskRows(page)).toHaveCount(Math.min(expected.FAILED, 10));
  for (const state of await taskRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')))) {
    expect(state).toBe('FAILED');
  }
  // Failures say why, in the user's words, with the device's own text beside.
  await expect(taskRows(page).first().locator('td.detail')).toHaveText(
    /Update failed \(-1\)|Download failed \(-2\)|Verification failed \(-3\)|Writing to flash failed \(-4\)|neither source nor destination|Timed out|Another batch/,
  );
  await page.reload();
  await expect(stateTab(page, 'FAILED')).toHaveAttribute('aria-current', 'page');
  await page.screenshot({ path: 'test-results/batch-failed.png', fullPage: true });
  console.expectClean();
});

test('devices waiting for a push say why, and a device can be found by name', async ({ page }) => {
  const console = watchConsole(page);
  await openBatchWith(page, 'QUEUED');
  await openState(page, 'QUEUED');
  await expect(taskRows(page).first().locator('td.detail')).toHaveText(/Device offline|Scheduled: |Held by the push rate/);
  const name = (await taskRows(page).first().locator('td').first().textContent())!.trim();
  await page.getByRole('searchbox', { name: 'Device' }).fill(name);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`device=${name}`));
  await expect(taskRows(page)).toHaveCount(1);
  await expect(taskRows(page).first()).toContainText(name);
  await page.getByRole('searchbox', { name: 'Device' }).fill('no-such-device');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No device named “no-such-device” in this list.')).toBeVisible();
  console.expectClean();
});

test('a link past the 100,000-row limit explains it instead of failing', async ({ page }) => {
  const console = watchConsole(page);
  const jobId = await openBatchWith(page, 'SUCCEEDED');
  await page.goto(`${page.url().split('?')[0]}?page=1001&size=100`);
  await expect(page.getByText('Lists stop at 100,000 rows.')).toBeVisible();
  expect(jobId).toBeTruthy();
  console.expectClean();
});

test('row actions ask first, then cancel, re-upgrade and confirm, and the lists update at once', async ({ page }) => {
  const console = watchConsole(page);
  const jobId = await openBatchWith(page, 'QUEUED');
  await openState(page, 'QUEUED');
  const before = await apiCounts(page, jobId);
  const row = taskRows(page).first();
  const name = (await row.locator('td').first().textContent())!.trim();

  // Asked first; going back changes nothing.
  await row.getByRole('button', { name: 'Cancel' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Cancel the update of ${name} in this batch?`);
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await expect(dialog).toBeHidden();
  expect(await apiCounts(page, jobId)).toEqual(before);

  await row.getByRole('button', { name: 'Cancel' }).click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(stateTab(page, 'QUEUED').locator('.count')).toHaveText(String(before.QUEUED - 1));
  await expect(stateTab(page, 'CANCELED').locator('.count')).toHaveText(String(before.CANCELED + 1));
  await expect(taskRows(page).filter({ hasText: name })).toHaveCount(0);

  // The cancelled task, found in its new state, runs again.
  await openState(page, 'CANCELED');
  const cancelled = taskRows(page).filter({ hasText: name });
  await expect(cancelled.locator('td.detail')).toHaveText('Canceled for this device');
  await cancelled.getByRole('button', { name: 'Re-upgrade' }).click();
  await dialog.getByRole('button', { name: 'Re-upgrade' }).click();
  await expect(stateTab(page, 'CANCELED').locator('.count')).toHaveText(String(before.CANCELED));
  expect(await apiCounts(page, jobId)).toEqual(before);
  console.expectClean();
});

test('a task waiting for confirmation is confirmed from its row', async ({ page }) => {
  const console = watchConsole(page);
  // The cameras' 5.2.0 batch waits for the app's confirmation.
  const jobId = await openBatchWith(page, 'CONFIRM', '防犯カメラ_ファームウェア_520');
  await openState(page, 'CONFIRM');
  const before = await apiCounts(page, jobId);
  const row = taskRows(page).first();
  const name = (await row.locator('td').first().textContent())!.trim();
  await row.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('dialog')).toContainText(`Confirm the update of ${name}?`);
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect(stateTab(page, 'CONFIRM').locator('.count')).toHaveText(String(before.CONFIRM - 1));
  await expect(taskRows(page).filter({ hasText: name })).toHaveCount(0);
  const after = await apiCounts(page, jobId);
  expect(after.CONFIRM).toBe(before.CONFIRM - 1);
  console.expectClean();
});

test('cancelling a static batch says which devices it stops, and stops them', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    const before = await apiCounts(page, jobId, server.origin);
    await page.getByRole('button', { name: 'Cancel batch' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(
      `cancels its devices that are Pending confirmation (${before.CONFIRM}), Pending push (${before.QUEUED}), Pushed (${before.NOTIFIED}).`,
    );
    await expect(dialog).toContainText(`Devices already upgrading (${before.IN_PROGRESS}) finish their update.`);
    await dialog.getByRole('button', { name: 'Cancel batch' }).click();
    await expect(dialog).toBeHidden();
    const stopped = before.CONFIRM + before.QUEUED + before.NOTIFIED;
    await expect(stateTab(page, 'CANCELED').locator('.count')).toHaveText(String(before.CANCELED + stopped));
    await expect(stateTab(page, 'QUEUED').locator('.count')).toHaveText('0');
    await expect(stateTab(page, 'IN_PROGRESS').locator('.count')).toHaveText(String(before.IN_PROGRESS));
    const after = await apiCounts(page, jobId, server.origin);
    expect(after).toEqual({ ...before, CONFIRM: 0, QUEUED: 0, NOTIFIED: 0, CANCELED: before.CANCELED + stopped });
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('cancelling a dynamic batch stops its policy and only the states the operator picks', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openDynamicBatch(page, server.origin);
    const before = await apiCounts(page, jobId, server.origin);
    await page.getByRole('button', { name: 'Cancel batch' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('stops it from taking on more devices');
    await dialog.getByRole('checkbox', { name: /Pending push/ }).check();
    await dialog.getByRole('button', { name: 'Cancel batch' }).click();
    await expect(page.locator('.page-header .badge')).toHaveText('Canceled');
    await expect(page.getByRole('button', { name: 'Cancel batch' })).toHaveCount(0);
    const after = await apiCounts(page, jobId, server.origin);
    expect(after).toEqual({ ...before, QUEUED: 0, CANCELED: before.CANCELED + before.QUEUED });
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('a batch can be opened and cancelled from its row in the batch list', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await openPackage(page, server.origin, 'gw4-os-2_5_1', 'gw4-os-2_5_1');
    const row = batchRows(page).filter({ hasText: 'dynamic' }).first();
    await expect(row.getByRole('link', { name: 'View' })).toHaveAttribute('href', /\/batches\//);
    await expect(row.locator('.badge')).toHaveText('In progress');
    await row.getByRole('button', { name: 'Cancel' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('stops it from taking on more devices');
    await dialog.getByRole('button', { name: 'Cancel batch' }).click();
    await expect(row.locator('.badge')).toHaveText('Canceled');
    await expect(row.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test("the package information tab downloads the package's file, the one its signature names", async ({ page }) => {
  const console = watchConsole(page);
  await openPackage(page);
  const firmwareId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await page.getByRole('link', { name: 'Package information' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download' }).click()]);
  const bytes = await readFile((await download.path())!);
  const info = (await (await signedGet(page, `/?Action=QueryOTAFirmware&FirmwareId=${firmwareId}`)).json()).FirmwareInfo;
  expect(bytes.length).toBe(info.FirmwareSize);
  const algorithm = info.SignMethod.toUpperCase() === 'MD5' ? 'md5' : 'sha256';
  expect(createHash(algorithm).update(bytes).digest('hex')).toBe(info.FirmwareSign.toLowerCase());
  console.expectClean();
});
