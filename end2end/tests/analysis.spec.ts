// The package's data analysis: charts drawn by ECharts (loaded only when a chart shows), each
// with a table of the same numbers, equal to the API's and to the device lists' counts; a
// slice leads to the devices it counts.
import { expect, test } from '@playwright/test';
import { apiPackageCounts, openPackage, stateTab } from './pages';
import { signedGet, watchConsole } from './support';
import { chartDrawn, chartOption, clickItem, tableCounts } from './charts';

const PACKAGE = 'sm200-main-3_2_0';

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
  await expect.poll(() => chartDrawn(page, 'versions-chart')).toBe(true);

  // Versions: the table equals the API's distribution.
  const distribution = (await (await signedGet(page, '/?Action=ListOTAVersionDistribution&ProductKey=a1SMtr200Qx&ModuleName=default')).json()).Data;
  const versions = await tableCounts(page, 'versions');
  for (const v of distribution.Versions.VersionCount) expect(versions[v.Version]).toBe(v.DeviceCount);
  await expect(page.locator('section.versions .denominator')).toContainText(`${distribution.Total} devices`);
  // The chart draws the table's numbers under the table's names.
  const drawn = async () =>
    Object.fromEntries((await chartOption(page, 'versions-chart')).series[0].data.map((d: { name: string; value: number }) => [d.name, d.value]));
  await expect.poll(drawn).toEqual(versions);

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
  await clickItem(page, 'outcomes-chart', 'Failed', /tab=devices&state=failed/);
  await expect(page.locator('.results[data-shown="FAILED"]')).toBeVisible();
  await expect(stateTab(page, 'FAILED').locator('.count')).toHaveText(String(outcomes.Failed));
  console.expectClean();
});

test("one batch's outcomes equal that batch's counts", async ({ page }) => {
  await openPackage(page, '', PACKAGE, PACKAGE);
  await page.locator('nav.tabs a[data-tab="analysis"]').click();
  const jobId = await page.locator('#outcome-scope option').nth(1).getAttribute('value');
  await page.locator('#outcome-scope').selectOption(jobId!);
  const stats = (await (await signedGet(page, `/?Action=QueryOTATaskStatistics&JobId=${jobId}`)).json()).Data;
  await expect.poll(async () => (await tableCounts(page, 'outcomes')).Failed).toBe(stats.Failed);
  const outcomes = await tableCounts(page, 'outcomes');
  expect(outcomes.Updated).toBe(stats.Succeeded);
  expect(outcomes.Canceled).toBe(stats.Canceled);
});

test('a version opens the devices that run it, as many as the chart counts', async ({ page }) => {
  const console = watchConsole(page);
  await openPackage(page, '', PACKAGE, PACKAGE);
  await page.locator('nav.tabs a[data-tab="analysis"]').click();
  await expect(page.locator('#versions-chart canvas')).toBeVisible();
  const versions = await tableCounts(page, 'versions');
  const [version, count] = Object.entries(versions).find(([label]) => !label.startsWith('Others'))!;

  await clickItem(page, 'versions-chart', version, new RegExp(`version=${version.replace(/\./g, '\\.')}`));
  const list = page.locator('section.version-devices');
  await expect(list.getByRole('heading', { name: `Devices on ${version}` })).toBeVisible();
  await expect(list.locator('.denominator')).toHaveAttribute('data-total', String(count));
  const rows = list.locator('table.version-devices tbody tr');
  await expect(rows).toHaveCount(Math.min(count, 20));
  // Every device listed reports that version, as its own page says.
  const first = rows.first().getByRole('link');
  const name = (await first.textContent())!;
  const detail = (await (await signedGet(page, `/?Action=QueryDeviceDetail&ProductKey=a1SMtr200Qx&DeviceName=${name}`)).json()).Data;
  expect(detail.FirmwareVersion).toBe(version);
  // The next page continues the same list (the demo's largest group has more than a page).
  expect(count).toBeGreaterThan(20);
  await list.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/vpage=2/);
  await expect(rows).toHaveCount(Math.min(count - 20, 20));
  await expect(rows.first().getByRole('link')).not.toHaveText(name);
  // A row of the table leads there too.
  await page.goto(page.url().replace(/&version=[^&]*.*$/, ''));
  await page.locator('table.shares.versions').getByRole('link', { name: version }).click();
  await expect(list.locator('.denominator')).toHaveAttribute('data-total', String(count));
  console.expectClean();
});

test("the versions devices updated from add up to the package's tasks", async ({ page }) => {
  await openPackage(page, '', PACKAGE, PACKAGE);
  await page.locator('nav.tabs a[data-tab="analysis"]').click();
  await expect(page.locator('#sources-chart canvas')).toBeVisible();
  const firmwareId = new URL(page.url()).pathname.split('/').pop()!;
  const counts = await apiPackageCounts(page, firmwareId);
  const api = (await (await signedGet(page, `/?Action=ListOTASourceVersions&FirmwareId=${firmwareId}`)).json()).Data;
  const rows = page.locator('table.sources tbody tr');
  await expect(rows).toHaveCount(api.SourceVersions.SourceVersion.length);
  const totals = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[0].textContent)));
  expect(totals.reduce((a, b) => a + b, 0)).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
  // Each row's failed count is its own: they add up to the package's.
  const failed = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[2].textContent)));
  expect(failed.reduce((a, b) => a + b, 0)).toBe(counts.FAILED);
});
