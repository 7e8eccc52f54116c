// The package's data analysis: charts drawn by ECharts (loaded only when a chart shows), each
// with a table of the same numbers, equal to the API's and to the device lists' counts; a
// slice leads to the devices it counts.
import { type Page, expect, test } from '@playwright/test';
import { apiPackageCounts, openPackage, stateTab } from './pages';
import { watchConsole } from './support';

const PACKAGE = 'sm200-main-3_2_0';

/** The rows of a share table as {label: count}. */
async function tableCounts(page: Page, table: string): Promise<Record<string, number>> {
  const rows = await page.locator(`table.shares.${table} tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')!.textContent!.trim(), Number(tr.querySelectorAll('td')[0].textContent)]),
  );
  return Object.fromEntries(rows);
}

/** Clicks the middle of a pie slice, found from ECharts' own layout of the chart. */
async function clickSlice(page: Page, chartId: string, name: string) {
  await page.locator(`#${chartId}`).scrollIntoViewIfNeeded();
  const point = await page.evaluate(
    ({ chartId, name }) => {
      const element = document.getElementById(chartId)!;
      // @ts-expect-error the global ECharts the console loaded
      const chart = echarts.getInstanceByDom(element);
      const data = chart.getModel().getSeriesByIndex(0).getData();
      const index = data.indexOfName(name);
      const layout = data.getItemLayout(index);
      const angle = (layout.startAngle + layout.endAngle) / 2;
      const radius = (layout.r0 + layout.r) / 2;
      const box = element.getBoundingClientRect();
      return { x: box.left + layout.cx + radius * Math.cos(angle), y: box.top + layout.cy + radius * Math.sin(angle) };
    },
    { chartId, name },
  );
  await page.mouse.click(point.x, point.y);
}

test("the data analysis charts equal the API's numbers and the device lists', and a slice opens its devices", async ({ page }) => {
  const console = watchConsole(page);
  const charts: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('echarts')) charts.push(request.url());
  });
  // Pages without charts never load ECharts.
  await openPackage(page, '', PACKAGE, PACKAGE);
  await expect(page.locator('table.batches .state-counts').first()).toBeVisible();
  expect(charts).toEqual([]);

  await page.locator('nav.tabs a[data-tab="analysis"]').click();
  await expect(page.locator('#versions-chart canvas')).toBeVisible();
  await expect(page.locator('#outcomes-chart canvas')).toBeVisible();
  expect(charts).toHaveLength(1);

  // Versions: the table equals the API's distribution.
  const distribution = (await (await page.request.get('/?Action=ListOTAVersionDistribution&ProductKey=a1SMtr200Qx&ModuleName=default')).json()).Data;
  const versions = await tableCounts(page, 'versions');
  for (const v of distribution.Versions.VersionCount) expect(versions[v.Version]).toBe(v.DeviceCount);
  await expect(page.locator('section.versions .denominator')).toContainText(`${distribution.Total} devices`);

  // Outcomes: the table equals the package's counts, and the device list's tabs.
  const firmwareId = new URL(page.url()).pathname.split('/').pop()!;
  const counts = await apiPackageCounts(page, firmwareId);
  const outcomes = await tableCounts(page, 'outcomes');
  expect(outcomes).toEqual({
    Updated: counts.SUCCEEDED,
    Failed: counts.FAILED,
    Canceled: counts.CANCELED,
    'Not finished': counts.CONFIRM + counts.QUEUED + counts.NOTIFIED + counts.IN_PROGRESS,
  });

  // A slice leads to its devices, and the list counts the same.
  // Clicked once the pie has finished growing into place.
  await expect(async () => {
    await clickSlice(page, 'outcomes-chart', 'Failed');
    await expect(page).toHaveURL(/tab=devices&state=failed/, { timeout: 1000 });
  }).toPass();
  await expect(page.locator('.results[data-shown="FAILED"]')).toBeVisible();
  await expect(stateTab(page, 'FAILED').locator('.count')).toHaveText(String(outcomes.Failed));
  console.expectClean();
});

test("one batch's outcomes equal that batch's counts", async ({ page }) => {
  await openPackage(page, '', PACKAGE, PACKAGE);
  await page.locator('nav.tabs a[data-tab="analysis"]').click();
  const jobId = await page.locator('#outcome-scope option').nth(1).getAttribute('value');
  await page.locator('#outcome-scope').selectOption(jobId!);
  const stats = (await (await page.request.get(`/?Action=QueryOTATaskStatistics&JobId=${jobId}`)).json()).Data;
  await expect.poll(async () => (await tableCounts(page, 'outcomes')).Failed).toBe(stats.Failed);
  const outcomes = await tableCounts(page, 'outcomes');
  expect(outcomes.Updated).toBe(stats.Succeeded);
  expect(outcomes.Canceled).toBe(stats.Canceled);
});
