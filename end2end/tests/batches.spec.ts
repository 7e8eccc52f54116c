// A package's batch management tab, against the demo dataset: sm200-main-3_2_0 has several
// batches in different states.
import { type Page, expect, test } from '@playwright/test';
import { privateServer, watchConsole } from './support';

const batchRows = (page: Page) => page.locator('table.batches tbody tr');
const STATES = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'];
const FIELDS = ['Confirm', 'Queued', 'Notified', 'InProgress', 'Succeeded', 'Failed', 'Canceled'];

async function openPackage(page: Page, origin = '', search = 'sm200-main-3_2_0') {
  await page.goto(`${origin}/packages?q=${search}`);
  await page.getByRole('link', { name: 'sm200-main-3_2_0' }).click();
}

/** A batch's counts by state, as the API gives them. */
async function apiCounts(page: Page, jobId: string): Promise<Record<string, number>> {
  const answer = await page.request.get(`/?Action=QueryOTATaskStatistics&JobId=${jobId}`);
  const data = (await answer.json()).Data;
  return Object.fromEntries(STATES.map((state, i) => [state, data[FIELDS[i]]]));
}

test('a package opens on its batches, each with its devices counted by state', async ({ page }) => {
  const console = watchConsole(page);
  await openPackage(page);
  await expect(page.getByRole('link', { name: 'Batch management' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Batch management');
  const count = await batchRows(page).count();
  expect(count).toBeGreaterThan(1);
  for (let i = 0; i < count; i++) {
    const row = batchRows(page).nth(i);
    const jobId = await row.getAttribute('data-job-id');
    const expected = await apiCounts(page, jobId!);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    await expect(row.locator('.state-counts .total')).toHaveText(`${total} devices`);
    for (const state of STATES) {
      const item = row.locator(`.state-counts li[data-state="${state}"]`);
      if (expected[state] > 0) await expect(item.locator('strong')).toHaveText(String(expected[state]));
      else await expect(item).toHaveCount(0);
    }
  }
  await expect(batchRows(page).first()).toContainText(/Batch update · (static|dynamic)|Verification · static/);
  await expect(batchRows(page).locator('.badge').first()).toHaveText(/In progress|Completed|Canceled|Scheduled/);
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
    await expect(page.locator('.state-counts .total').first()).toHaveText(/^\d+ 台$/);
    await expect(page.locator('.state-counts li[data-state]').first()).toContainText(
      /確認待ち|プッシュ予定|プッシュ済み|アップグレード中|更新済み|更新失敗|キャンセル済み/,
    );
    console.expectClean();
  });
});

test('against a backend without per-state counts, the counts come from the task lists and say so', async ({ page }) => {
  const server = await privateServer({ plain: true });
  try {
    const console = watchConsole(page);
    // Without the search extension, search matches exact versions.
    await openPackage(page, server.origin, '3.2.0');
    const first = batchRows(page).first();
    await expect(first.locator('.state-counts')).toHaveAttribute('title', /Counted from the task lists/);
    await expect(first.locator('.state-counts .total')).toHaveText(/^\d+ devices$/);
    console.expectClean([/status of 400/]);
  } finally {
    await server.stop();
  }
});
