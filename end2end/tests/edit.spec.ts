// Editing a running batch: its push rate, its tags (the whole set survives an edit of one),
// and a dynamic batch's timeout and source versions, checked as the operator types.
import { type Page, expect, test } from '@playwright/test';
import { apiBatch as batch, apiCounts, openBatchWith, openDynamicBatch, openState, slowControllerBatch, stateTab, tagsOf, taskRows } from './pages';
import { privateServer, simulate, watchConsole } from './support';

test("a running batch's push rate and tags change, and an edit of one tag keeps the others", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    const before = await batch(page, server.origin, jobId);
    await page.getByRole('button', { name: 'Edit batch' }).click();
    const dialog = page.getByRole('dialog');
    const rate = dialog.getByLabel('Push rate (devices a minute)');
    await expect(rate).toHaveValue(String(before.MaximumPerMinute));

    // Checked as typed: an out-of-range rate is named beside its field and blocks saving.
    await rate.fill('5');
    await expect(dialog.getByText('A whole number from 10 to 10000.')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Save changes' })).toBeDisabled();
    await rate.fill('250');
    for (const [key, value] of [['stage', '2'], ['owner', 'osaka']]) {
      await dialog.getByRole('button', { name: 'Add a tag' }).click();
      const n = await dialog.locator('table.tag-rows tr').count();
      await dialog.getByLabel(`Key of tag ${n}`).fill(key);
      await dialog.getByLabel(`Value of tag ${n}`).fill(value);
    }
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('dl.key-values')).toContainText('250 devices a minute');
    let after = await batch(page, server.origin, jobId);
    expect(after.MaximumPerMinute).toBe(250);
    expect(tagsOf(after)).toEqual({ ...tagsOf(before), stage: '2', owner: 'osaka' });

    // Change one tag: every other tag is sent back and survives.
    await page.getByRole('button', { name: 'Edit batch' }).click();
    const keys = await dialog.locator('table.tag-rows tr input[aria-label^="Key"]').evaluateAll((inputs) =>
      inputs.map((input) => (input as HTMLInputElement).value),
    );
    const stage = keys.indexOf('stage') + 1;
    await dialog.getByLabel(`Value of tag ${stage}`).fill('3');
    // A second tag with the same key is refused by name.
    await dialog.getByRole('button', { name: 'Add a tag' }).click();
    await dialog.getByLabel(`Key of tag ${keys.length + 1}`).fill('owner');
    await dialog.getByLabel(`Value of tag ${keys.length + 1}`).fill('kyoto');
    await expect(dialog.getByText('“owner” appears twice.')).toBeVisible();
    await dialog.locator(`table.tag-rows tr[data-tag="${keys.length}"]`).getByRole('button', { name: 'Remove' }).click();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    after = await batch(page, server.origin, jobId);
    expect(tagsOf(after)).toEqual({ ...tagsOf(before), stage: '3', owner: 'osaka' });
    expect(after.MaximumPerMinute).toBe(250);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test("a dynamic batch's timeout and source versions change too", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openDynamicBatch(page, server.origin);
    await page.getByRole('button', { name: 'Edit batch' }).click();
    const dialog = page.getByRole('dialog');
    const timeout = dialog.getByLabel('Device timeout (minutes)');
    await timeout.fill('0');
    await expect(dialog.locator('#edit-timeout-error')).toHaveText(/^A whole number from 1 to \d+\.$/);
    await timeout.fill('90');
    await dialog.getByLabel('Versions to update (comma-separated)').fill('2.5.0, 2.4.9');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    const after = await batch(page, server.origin, jobId);
    expect(after.TimeoutInMinutes).toBe(90);
    expect(after.SrcVersions.SrcVersion).toEqual(['2.5.0', '2.4.9']);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('every task waiting for confirmation on the page is confirmed at once, after a question', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'CONFIRM', '防犯カメラ_ファームウェア_520', server.origin);
    await openState(page, 'CONFIRM');
    const before = await apiCounts(page, jobId, server.origin);
    const onPage = await taskRows(page).count();
    await page.getByRole('button', { name: `Confirm the ${onPage} on this page` }).click();
    await expect(page.getByRole('dialog')).toContainText(`Confirm the update of the ${onPage} devices on this page?`);
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await expect(stateTab(page, 'CONFIRM').locator('.count')).toHaveText(String(before.CONFIRM - onPage));
    const after = await apiCounts(page, jobId, server.origin);
    expect(after.CONFIRM).toBe(before.CONFIRM - onPage);
    expect(after.QUEUED + after.NOTIFIED).toBe(before.QUEUED + before.NOTIFIED + onPage);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('every failed task on the page is upgraded again at once, after a question', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'FAILED', 'sm200-main-3_2_0', server.origin);
    await openState(page, 'FAILED');
    const before = await apiCounts(page, jobId, server.origin);
    const onPage = await taskRows(page).count();
    await page.getByRole('button', { name: `Re-upgrade the ${onPage} on this page` }).click();
    await expect(page.getByRole('dialog')).toContainText(`Update the ${onPage} devices on this page again?`);
    await page.getByRole('dialog').getByRole('button', { name: 'Re-upgrade' }).click();
    await expect(stateTab(page, 'FAILED').locator('.count')).toHaveText(String(before.FAILED - onPage));
    const after = await apiCounts(page, jobId, server.origin);
    expect(after.FAILED).toBe(before.FAILED - onPage);
    // Each starts over in its batch: waiting to be pushed (or already pushed, as the rate allows).
    expect(after.QUEUED + after.NOTIFIED).toBe(before.QUEUED + before.NOTIFIED + onPage);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test("a running batch's new push rate takes effect: the devices held back by the old one are pushed", async ({ page }) => {
  test.setTimeout(120_000);
  const server = await privateServer();
  await server.remember(page);
  let fleet: { stop(): Promise<void> } | undefined;
  try {
    const { firmwareId, jobId } = await slowControllerBatch(page, server.origin);
    fleet = simulate(server, 'a1Hvac3CtlM', 30);
    await page.goto(`${server.origin}/packages/${firmwareId}/batches/${jobId}`);
    const waiting = async () => (await apiCounts(page, jobId, server.origin)).QUEUED;
    const start = await apiCounts(page, jobId, server.origin);
    // Pending updates of the demo's other batches are overwritten; a device already upgrading
    // there fails here at once (CONFLICT). The rest wait their turn.
    // (The first push may already be out when the counts are read.)
    const pushable = start.QUEUED + start.NOTIFIED + start.IN_PROGRESS;
    expect(pushable).toBeGreaterThan(2);
    // The devices come online; at one push every six seconds the rate holds the rest back.
    await expect.poll(async () => (await apiCounts(page, jobId, server.origin)).SUCCEEDED, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await waiting()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Edit batch' }).click();
    await page.getByRole('dialog').getByLabel('Push rate (devices a minute)').fill('10000');
    await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await expect(page.locator('dl.key-values')).toContainText('10000 devices a minute');
    // At the new rate nothing waits for its turn any more, and every device updates.
    await expect.poll(waiting, { timeout: 30_000 }).toBe(0);
    await expect.poll(async () => (await apiCounts(page, jobId, server.origin)).SUCCEEDED, { timeout: 60_000 }).toBe(pushable);
  } finally {
    await fleet?.stop();
    await server.stop();
  }
});
