// A batch's progress over time: the chart's newest point is the batch's counts now, and it
// advances live while simulated devices update.
import { expect, test } from '@playwright/test';
import { STATES, apiCounts, openBatchWith, slowControllerBatch } from './pages';
import { privateServer, simulate, watchConsole } from './support';
import { chartDrawn, chartOption } from './charts';

/** The newest point's counts as the progress table shows them. */
async function newestPoint(page: import('@playwright/test').Page): Promise<Record<string, number>> {
  const cells = page.locator('table.progress tbody tr').first().locator('td');
  const pairs = await cells.evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-state')!, Number(td.textContent)]));
  return Object.fromEntries(pairs);
}

test("a batch's progress ends at its counts now, and the chart draws the same numbers", async ({ page }) => {
  const console = watchConsole(page);
  const charts: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('echarts')) charts.push(request.url());
  });
  const jobId = await openBatchWith(page, 'FAILED');
  // The device list, the default tab, draws no chart.
  expect(charts).toEqual([]);
  await page.locator('nav.tabs a[data-tab="progress"]').click();
  await expect(page).toHaveURL(/tab=progress/);
  await expect(page.locator('#progress-chart canvas')).toBeVisible();
  await expect.poll(() => chartDrawn(page, 'progress-chart')).toBe(true);
  const counts = await apiCounts(page, jobId);
  const newest = await newestPoint(page);
  for (const state of STATES) expect(newest[state], state).toBe(counts[state]);
  expect(newest.TOTAL).toBe(STATES.reduce((sum, s) => sum + counts[s], 0));
  // The chart's series end at the same numbers (Updated is the first series, stacked lowest).
  const option = await chartOption(page, 'progress-chart');
  const updated = option.series.find((s: { name: string }) => s.name === 'Updated');
  expect(updated.data.at(-1)).toBe(counts.SUCCEEDED);
  await expect(page.locator('section.progress .denominator')).toContainText('every');
  console.expectClean();
});

test('progress over time advances live while simulated devices update', async ({ page }) => {
  test.setTimeout(120_000);
  const server = await privateServer();
  await server.remember(page);
  let fleet: { stop(): Promise<void> } | undefined;
  try {
    const { firmwareId, jobId } = await slowControllerBatch(page, server.origin);
    await page.goto(`${server.origin}/packages/${firmwareId}/batches/${jobId}?tab=progress`);
    await expect(page.locator('#progress-chart canvas')).toBeVisible();
    const before = (await newestPoint(page)).SUCCEEDED;
    fleet = simulate(server, 'a1Hvac3CtlM', 30);
    // Without a reload, the newest point follows the devices' updates.
    await expect.poll(async () => (await newestPoint(page)).SUCCEEDED, { timeout: 60_000 }).toBeGreaterThan(before);
    const option = await chartOption(page, 'progress-chart');
    const updated = option.series.find((s: { name: string }) => s.name === 'Updated');
    expect(updated.data.at(-1)).toBeGreaterThan(before);
    expect((await newestPoint(page)).TOTAL).toBe(Object.values(await apiCounts(page, jobId, server.origin)).reduce((a, b) => a + b, 0));
  } finally {
    await fleet?.stop();
    await server.stop();
  }
});
