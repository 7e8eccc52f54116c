// Pages with running batches keep themselves current: pushed by the event stream, or polled
// where a backend has none, and never under an open dialog.
import { type Page, expect, test } from '@playwright/test';
import { batchRows, openBatchWith, openPackage, openState, stateTab, taskRows } from './pages';
import { privateServer, signedGet, simulate, watchConsole } from './support';

/** Cancels one QUEUED device of the batch shown, through the API (as another operator would). */
async function cancelOneQueuedElsewhere(page: Page, origin: string, jobId: string): Promise<string> {
  const firmwareId = new URL(page.url()).pathname.split('/')[2];
  const queued = await (await signedGet(page, `${origin}/?Action=ListOTATaskByJob&JobId=${jobId}&TaskStatus=QUEUED&PageSize=1`)).json();
  const device = queued.Data.SimpleOTATaskInfo[0].DeviceName;
  const answer = await signedGet(page, 
    `${origin}/?Action=CancelOTATaskByDevice&ProductKey=a1SMtr200Qx&FirmwareId=${firmwareId}&JobId=${jobId}&DeviceName.1=${device}`,
  );
  expect((await answer.json()).Success).toBe(true);
  return device;
}

test("a batch page follows another operator's change without a reload", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    await openState(page, 'QUEUED');
    await expect(page.locator('.live')).toHaveAttribute('data-mode', 'stream');
    const queued = Number(await stateTab(page, 'QUEUED').locator('.count').textContent());
    const canceled = Number(await stateTab(page, 'CANCELED').locator('.count').textContent());
    const device = await cancelOneQueuedElsewhere(page, server.origin, jobId);
    await expect(stateTab(page, 'QUEUED').locator('.count')).toHaveText(String(queued - 1));
    await expect(stateTab(page, 'CANCELED').locator('.count')).toHaveText(String(canceled + 1));
    await expect(taskRows(page).filter({ hasText: device })).toHaveCount(0);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('after the backend restarts, the stream is opened again with a fresh signature and follows changes', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    await openState(page, 'QUEUED');
    await expect(page.locator('.live')).toHaveAttribute('data-mode', 'stream');
    await server.stop();
    await server.start();
    // The browser's own reconnect repeats the old URL, a replay the backend refuses; the page
    // polls meanwhile, then opens the stream again with a new signature.
    await expect(page.locator('.live')).toHaveAttribute('data-mode', 'stream', { timeout: 30_000 });
    const queued = Number(await stateTab(page, 'QUEUED').locator('.count').textContent());
    await cancelOneQueuedElsewhere(page, server.origin, jobId);
    await expect(stateTab(page, 'QUEUED').locator('.count')).toHaveText(String(queued - 1));
    console.expectClean([/net::ERR_|status of 400/]);
  } finally {
    await server.stop();
  }
});

test('an open dialog holds live changes back until it closes', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    await expect(page.locator('.live')).toHaveAttribute('data-mode', 'stream');
    const queued = Number(await stateTab(page, 'QUEUED').locator('.count').textContent());
    await page.getByRole('button', { name: 'Cancel batch' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await cancelOneQueuedElsewhere(page, server.origin, jobId);
    await page.waitForTimeout(3500);
    await expect(dialog).toBeVisible();
    await expect(stateTab(page, 'QUEUED').locator('.count')).toHaveText(String(queued));
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await expect(stateTab(page, 'QUEUED').locator('.count')).toHaveText(String(queued - 1));
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('without the event stream the page polls, and still follows the change', async ({ page }) => {
  const server = await privateServer({ plain: true });
  await server.remember(page);
  try {
    const console = watchConsole(page);
    // Without the search extension, packages are found by their exact version.
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin, '3.2.0');
    await expect(page.locator('.live')).toHaveAttribute('data-mode', 'poll');
    await expect(page.locator('.live')).toHaveText('Checked for changes automatically');
    const queued = Number(await stateTab(page, 'QUEUED').locator('.count').textContent());
    await cancelOneQueuedElsewhere(page, server.origin, jobId);
    await expect(stateTab(page, 'QUEUED').locator('.count')).toHaveText(String(queued - 1), { timeout: 20_000 });
    console.expectClean([/status of 400/]);
  } finally {
    await server.stop();
  }
});

test('the batch list updates its counts in place, keeping its rows', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await openPackage(page, server.origin);
    await expect(page.locator('.live')).toHaveAttribute('data-mode', 'stream');
    const candidate = batchRows(page).filter({ has: page.locator('.state-counts li[data-state="QUEUED"]') }).first();
    const jobId = (await candidate.getAttribute('data-job-id'))!;
    // Pinned to that batch: the filter above would move to another row once QUEUED reaches 0.
    const row = page.locator(`table.batches tr[data-job-id="${jobId}"]`);
    const queued = Number((await row.locator('.state-counts li[data-state="QUEUED"] strong').textContent())!.replace(/,/g, ''));
    // A mark on the row's element: still there afterwards means the row was not made again.
    await row.evaluate((element) => element.setAttribute('data-mark', 'kept'));
    await cancelOneQueuedElsewhere(page, server.origin, jobId);
    await expect(row.locator('.state-counts li[data-state="QUEUED"] strong')).toHaveText((queued - 1).toLocaleString('en-US'));
    await expect(row).toHaveAttribute('data-mark', 'kept');
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('a rollout advances on screen while simulated devices update', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  const fleet = simulate(server, 'a1SMtr200Qx', 130);
  try {
    const console = watchConsole(page);
    await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    await expect(page.locator('.live')).toHaveAttribute('data-mode', 'stream');
    const updated = Number(await stateTab(page, 'SUCCEEDED').locator('.count').textContent());
    // Devices come online, get their pushes at the batch's rate and report the new version.
    await expect
      .poll(async () => Number(await stateTab(page, 'SUCCEEDED').locator('.count').textContent()), { timeout: 45_000 })
      .toBeGreaterThan(updated);
    console.expectClean();
  } finally {
    await fleet.stop();
    await server.stop();
  }
});
