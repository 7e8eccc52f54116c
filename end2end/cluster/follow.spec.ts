// While servers behind it die, the batch page on the server that stays up follows the rollout
// live to its end: counts that move without a reload and end equal to the API's.
import { expect, test } from '@playwright/test';

const firmware = process.env.OTA_CLUSTER_FIRMWARE ?? '';
const job = process.env.OTA_CLUSTER_JOB ?? '';
const devices = Number(process.env.OTA_CLUSTER_DEVICES ?? 0);

test('the batch page follows a rollout live while the servers behind it are killed', async ({ page }) => {
  expect(firmware && job && devices, 'the cluster test names the batch to follow').toBeTruthy();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  let loads = 0;
  page.on('load', () => (loads += 1));

  await page.goto(`/packages/${firmware}/batches/${job}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Batch details ${job}`);
  await expect(page.locator('.live')).toHaveAttribute('data-mode', 'stream');
  const succeeded = page.locator('nav.state-tabs a[data-state="SUCCEEDED"] .count');
  const seen = new Set<number>();
  const deadline = Date.now() + 200_000;
  for (;;) {
    const count = Number((await succeeded.textContent())!.replace(/,/g, ''));
    seen.add(count);
    if (count === devices) break;
    expect(Date.now() < deadline, `the page still shows ${count} of ${devices} succeeded`).toBe(true);
    await page.waitForTimeout(250);
  }
  // One page load, many counts on the way: the page was pushed every step, not reloaded.
  expect(loads).toBe(1);
  expect(seen.size, [...seen].join(', ')).toBeGreaterThan(10);
  await expect(page.locator('.live')).toHaveAttribute('data-mode', 'stream');
  for (const state of ['QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'FAILED']) {
    await expect(page.locator(`nav.state-tabs a[data-state="${state}"] .count`)).toHaveText('0');
  }
  expect(errors).toEqual([]);
});
