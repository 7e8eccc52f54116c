// A package's devices across its batches, a batch's information tab, and cancelling all of a
// batch's devices in one state, against the demo dataset.
import { expect, test } from '@playwright/test';
import { apiCounts, apiPackageCounts, openBatchWith, openPackage, openState, STATES, stateTab, taskRows } from './pages';
import { privateServer, signedGet, watchConsole } from './support';

test("a package's device list spans its batches, and View leads to the batch filtered to the device", async ({ page }) => {
  const console = watchConsole(page);
  await openPackage(page);
  const firmwareId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await page.getByRole('link', { name: 'Device list' }).click();
  await expect(page).toHaveURL(/\?tab=devices$/);
  await expect(page.locator('.results[data-shown="ALL"]')).toBeVisible();
  const expected = await apiPackageCounts(page, firmwareId);
  for (const state of STATES) await expect(stateTab(page, state).locator('.count')).toHaveText(String(expected[state]));
  const batches = new Set(await taskRows(page).locator('td:nth-child(5)').allTextContents());
  expect(batches.size).toBeGreaterThan(0);

  await openState(page, 'FAILED');
  await expect(page).toHaveURL(/tab=devices&state=failed/);
  await expect(taskRows(page)).toHaveCount(Math.min(expected.FAILED, 10));
  const states = await taskRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
  expect(new Set(states)).toEqual(new Set(['FAILED']));
  await page.reload();
  await expect(stateTab(page, 'FAILED')).toHaveAttribute('aria-current', 'page');

  const row = taskRows(page).first();
  const device = (await row.locator('td').first().textContent())!.trim();
  const jobId = (await row.locator('td:nth-child(5)').textContent())!.trim();
  await row.getByRole('link', { name: 'View' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Batch details ${jobId}`);
  await expect(page).toHaveURL(new RegExp(`/batches/${jobId}\\?device=${device}$`));
  await expect(taskRows(page)).toHaveCount(1);
  await expect(taskRows(page).first()).toContainText(device);
  console.expectClean();
});

test("a device's tasks across the package's batches are found by its name", async ({ page }) => {
  const console = watchConsole(page);
  await openPackage(page);
  await page.getByRole('link', { name: 'Device list' }).click();
  await expect(page.locator('.results[data-shown="ALL"]')).toBeVisible();
  const device = (await taskRows(page).first().locator('td').first().textContent())!.trim();
  await page.getByRole('searchbox', { name: 'Device' }).fill(device);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`tab=devices&device=${device}`));
  // The old rows stay until the new ones come: wait for a list of that device alone.
  const names = async () => (await taskRows(page).locator('td:first-child').allTextContents()).map((n) => n.trim());
  await expect.poll(async () => [...new Set(await names())]).toEqual([device]);
  console.expectClean();
});

test('a batch names its package in the breadcrumb and shows every setting in its information tab', async ({ page }) => {
  const console = watchConsole(page);
  const jobId = await openBatchWith(page, 'FAILED');
  const crumbs = page.getByRole('navigation', { name: 'You are here' });
  await expect(crumbs.getByRole('link', { name: 'sm200-main-3_2_0' })).toBeVisible();
  await expect(page.locator('dl.key-values')).toContainText('Push rate');
  await expect(page.getByRole('link', { name: 'Device list' })).toHaveAttribute('aria-current', 'page');

  await page.getByRole('link', { name: 'Batch information' }).click();
  await expect(page).toHaveURL(/\?tab=info$/);
  await page.reload();
  const info = page.locator('dl.batch-info');
  for (const label of ['Batch ID', 'Devices', 'Versions to update', 'Automatic retries', 'Download protocol', 'Scheduled start']) {
    await expect(info.locator('dt', { hasText: label }).first()).toBeVisible();
  }
  await expect(info).toContainText(jobId);
  await expect(taskRows(page)).toHaveCount(0);
  await crumbs.getByRole('link', { name: 'sm200-main-3_2_0' }).click();
  await expect(page.getByRole('link', { name: 'Batch management' })).toHaveAttribute('aria-current', 'page');
  console.expectClean();
});

test("all of a batch's devices in one state are cancelled at once, after saying how many", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    await openState(page, 'QUEUED');
    const before = await apiCounts(page, jobId, server.origin);
    await page.getByRole('button', { name: `Cancel all ${before.QUEUED} in “Pending push”` }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(`Cancel the tasks of all ${before.QUEUED} devices in “Pending push” in this batch?`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(stateTab(page, 'QUEUED').locator('.count')).toHaveText('0');
    await expect(stateTab(page, 'CANCELED').locator('.count')).toHaveText(String(before.CANCELED + before.QUEUED));
    await expect(page.getByRole('button', { name: /^Cancel all/ })).toHaveCount(0);
    const after = await apiCounts(page, jobId, server.origin);
    expect(after).toEqual({ ...before, QUEUED: 0, CANCELED: before.CANCELED + before.QUEUED });
    // Finished states offer no such button.
    await openState(page, 'CANCELED');
    await expect(taskRows(page).first()).toBeVisible();
    await expect(page.getByRole('button', { name: /^Cancel all/ })).toHaveCount(0);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('against a backend that lists devices only per batch, the device list says so', async ({ page }) => {
  const server = await privateServer({ plain: true });
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await openPackage(page, server.origin, '3.2.0');
    await page.getByRole('link', { name: 'Device list' }).click();
    await expect(page.getByText('This backend lists devices batch by batch only.')).toBeVisible();
    console.expectClean([/status of 400/]);
  } finally {
    await server.stop();
  }
});

test("a device's page shows what it runs, its unfinished update with actions, and the batches that included it", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    await openState(page, 'QUEUED');
    const device = (await taskRows(page).first().locator('td').first().textContent())!.trim();
    await taskRows(page).first().getByRole('link', { name: device }).click();
    // The link says where it came from, so that the device page leads back there.
    await expect(page).toHaveURL(new RegExp(`/devices/a1SMtr200Qx/${device}\\?package=[^&]+&batch=${jobId}$`));
    // A deep link to a device loads by itself.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(device);
    await expect(page.locator('.page-header .badge')).toHaveText(/Online|Offline|Never connected/);
    await expect(page.locator('table.modules')).toContainText('default');
    const unfinished = page.locator('table.tasks tbody tr');
    await expect(unfinished).toHaveCount(1);
    await expect(unfinished.first()).toHaveAttribute('data-state', 'QUEUED');
    await expect(page.locator(`table.device-batches tr[data-job-id="${jobId}"]`)).toContainText('sm200-main-3_2_0');
    // Its dates follow a switch of language without a reload.
    const registered = (label: string) => page.locator('dl.fields .field').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
    await expect(registered('Registered')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    await page.getByLabel('Language').selectOption('zh');
    await expect(registered('注册时间')).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    await page.getByLabel('语言').selectOption('en');

    await unfinished.first().getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('No update is under way for this device.')).toBeVisible();
    const answer = await signedGet(page, 
      `${server.origin}/?Action=ListOTATaskByJob&JobId=${jobId}&DeviceNames.1=${device}`,
    );
    expect((await answer.json()).Data.SimpleOTATaskInfo[0].TaskStatus).toBe('CANCELED');

    // The batch row leads back to the batch, filtered to the device.
    await page.locator(`table.device-batches tr[data-job-id="${jobId}"]`).getByRole('link', { name: jobId }).click();
    await expect(page).toHaveURL(new RegExp(`/batches/${jobId}\\?device=${device}$`));
    await expect(taskRows(page)).toHaveCount(1);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('a task waiting for confirmation is confirmed from its device page', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await openBatchWith(page, 'CONFIRM', '防犯カメラ_ファームウェア_520', server.origin);
    await openState(page, 'CONFIRM');
    const device = (await taskRows(page).first().locator('td').first().textContent())!.trim();
    await taskRows(page).first().getByRole('link', { name: device }).click();
    // The camera may have an unfinished task of another module too (the demo's staged batch).
    const waiting = page.locator('table.tasks tbody tr[data-state="CONFIRM"]').first();
    await expect(waiting).toBeVisible();
    const taskId = (await waiting.getAttribute('data-task-id'))!;
    await waiting.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await expect(page.locator(`table.tasks tbody tr[data-task-id="${taskId}"]`)).toHaveAttribute('data-state', 'QUEUED');
    console.expectClean();
  } finally {
    await server.stop();
  }
});
