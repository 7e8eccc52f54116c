// The environment dashboard: running batches, failures by reason and the fleet's versions,
// each chart equal to the API and to the lists it leads to.
import { type Page, expect, test } from '@playwright/test';
import { STATES, apiCounts, stateTab } from './pages';
import { privateServer, signedGet, watchConsole } from './support';
import { chartDrawn, chartOption, clickItem, tableCounts } from './charts';

const FIELDS: Record<string, string> = {
  CONFIRM: 'Confirm', QUEUED: 'Queued', NOTIFIED: 'Notified', IN_PROGRESS: 'InProgress',
  SUCCEEDED: 'Succeeded', FAILED: 'Failed', CANCELED: 'Canceled',
};
async function api(page: Page, query: string) {
  const answer = await (await signedGet(page, `/?${query}`)).json();
  expect(answer.Success, JSON.stringify(answer)).toBe(true);
  return answer.Data;
}

test('running batches: one bar each, equal to their counts, and a segment opens its devices', async ({ page }) => {
  const console = watchConsole(page);
  const charts: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('echarts')) charts.push(request.url());
  });
  await page.goto('/packages');
  await expect(page.locator('table.data')).toBeVisible();
  expect(charts).toEqual([]);

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await expect(page.locator('#running-chart canvas')).toBeVisible();
  expect(charts).toHaveLength(1);
  await expect.poll(() => chartDrawn(page, 'running-chart')).toBe(true);

  const running = await api(page, 'Action=ListOTARunningJobs');
  const jobs = running.Jobs.RunningJob;
  expect(jobs.length).toBeGreaterThan(0);
  await expect(page.locator('section.running .denominator')).toContainText(`${jobs.length} of ${running.Total}`);
  const rows = page.locator('table.running-jobs tbody tr');
  await expect(rows).toHaveCount(jobs.length);
  for (const job of jobs) {
    const counts = await apiCounts(page, job.JobId);
    const row = rows.and(page.locator(`[data-job-id="${job.JobId}"]`));
    for (const state of STATES) {
      expect(job[FIELDS[state]], `${job.JobId} ${state}`).toBe(counts[state]);
      const shown = row.locator(`li[data-state="${state}"] strong`);
      if (counts[state] > 0) await expect(shown).toHaveText(String(counts[state]));
      else await expect(shown).toHaveCount(0);
    }
  }

  // A segment leads to that batch's devices in that state, as many as the bar holds.
  const job = jobs.find((j: Record<string, number>) => j.Queued > 0) ?? jobs[0];
  const state = job.Queued > 0 ? 'QUEUED' : STATES.find((s) => job[FIELDS[s]] > 0)!;
  const series = STATES.indexOf(state);
  await clickItem(page, 'running-chart', `${job.FirmwareName} · ${job.JobId}`, new RegExp(`/batches/${job.JobId}\\?state=${state.toLowerCase()}`), series);
  await expect(stateTab(page, state).locator('.count')).toHaveText(String(job[FIELDS[state]]));
  await expect(stateTab(page, state)).toHaveAttribute('aria-current', 'page');
  console.expectClean();
});

test('failures by reason add up to the failed tasks, and a reason lists its batches', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/dashboard');
  await expect(page.locator('#failures-chart canvas')).toBeVisible();
  const failures = await api(page, 'Action=ListOTAFailureReasons');
  expect(failures.Total).toBeGreaterThan(0);
  await expect(page.locator('section.failures .denominator')).toContainText(`All ${failures.Total} failed`);
  // Summed by reason over batches, the table holds the API's numbers.
  const byReason: Record<string, number> = {};
  for (const f of failures.Failures.FailureCount) byReason[f.ReasonCode ?? 'none'] = (byReason[f.ReasonCode ?? 'none'] ?? 0) + f.Count;
  const table = await page.locator('table.reasons tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.getAttribute('data-reason')!, Number(tr.querySelectorAll('td')[0].textContent)]),
  );
  expect(Object.fromEntries(table)).toEqual(byReason);
  // The histogram's bars hold the same counts, in the table's order.
  await expect.poll(async () => (await chartOption(page, 'failures-chart')).series[0].data).toEqual(table.map(([, n]) => n));

  // The largest reason's bar lists its batches; each leads to its failed devices.
  const [reason, count] = table[0] as [string, number];
  const label = (await page.locator(`table.reasons tr[data-reason="${reason}"] th`).textContent())!.trim();
  await clickItem(page, 'failures-chart', label, new RegExp(`reason=${reason}`));
  const batches = page.locator('table.reason-batches tbody tr');
  const expected = failures.Failures.FailureCount.filter((f: { ReasonCode?: string }) => (f.ReasonCode ?? 'none') === reason);
  await expect(batches).toHaveCount(expected.length);
  const listed = await batches.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[1].textContent)));
  expect(listed.reduce((a, b) => a + b, 0)).toBe(count);
  const first = expected.sort((a: { Count: number }, b: { Count: number }) => b.Count - a.Count)[0];
  await batches.first().getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/batches/${first.JobId}\\?state=failed`));
  const failed = Number(await stateTab(page, 'FAILED').locator('.count').textContent());
  expect(failed).toBeGreaterThanOrEqual(first.Count);
  console.expectClean();
});

test("the fleet's versions per product and module equal the API, and a version lists its devices", async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/dashboard');
  await page.locator('#fleet-product').selectOption('a1Hvac3CtlM');
  await expect(page).toHaveURL(/product=a1Hvac3CtlM&module=default/);
  await expect(page.locator('#fleet-chart canvas')).toBeVisible();
  const distribution = await api(page, 'Action=ListOTAVersionDistribution&ProductKey=a1Hvac3CtlM&ModuleName=default');
  await expect.poll(() => tableCounts(page, 'fleet-versions')).toEqual(
    Object.fromEntries(distribution.Versions.VersionCount.map((v: { Version: string; DeviceCount: number }) => [v.Version, v.DeviceCount])),
  );
  const drawn = async () =>
    Object.fromEntries((await chartOption(page, 'fleet-chart')).series[0].data.map((d: { name: string; value: number }) => [d.name, d.value]));
  await expect.poll(drawn).toEqual(await tableCounts(page, 'fleet-versions'));
  const [version, count] = [distribution.Versions.VersionCount[0].Version, distribution.Versions.VersionCount[0].DeviceCount];
  await clickItem(page, 'fleet-chart', version, new RegExp(`version=${version.replace(/\./g, '\\.')}`));
  await expect(page.locator('section.version-devices .denominator')).toHaveAttribute('data-total', String(count));
  await expect(page.locator('table.version-devices tbody tr')).toHaveCount(Math.min(count, 20));

  // Another module of the product: its own distribution.
  const modules = await page.locator('#fleet-module option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  // The demo's controllers also carry a BACnet module.
  const other = modules.find((m) => m !== 'default')!;
  expect(other).toBeTruthy();
  await page.locator('#fleet-module').selectOption(other);
  await expect(page).toHaveURL(new RegExp(`module=${other}`));
  const theirs = await api(page, `Action=ListOTAVersionDistribution&ProductKey=a1Hvac3CtlM&ModuleName=${other}`);
  await expect(page.locator('section.fleet .denominator')).toContainText(`${theirs.Total} devices`);
  console.expectClean();
});

test('the dashboard follows the theme: dark colours for the page and its charts, kept after a reload', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/dashboard');
  await expect(page.locator('#fleet-chart canvas')).toBeVisible();
  await page.locator('#theme-switch').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const ink = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--ink').trim());
  const soft = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--ink-soft').trim());
  const queued = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--state-queued').trim());
  // Colours the dark theme changes, as the stylesheet gives them, and the charts take them.
  expect([ink, soft, queued]).toEqual(['#e4e9f0', '#a3afbf', '#7d8899']);
  await expect.poll(async () => (await chartOption(page, 'fleet-chart')).legend[0].textStyle.color).toBe(ink);
  await expect.poll(async () => (await chartOption(page, 'failures-chart')).xAxis[0].axisLabel.color).toBe(soft);
  const queuedSeries = async () =>
    (await chartOption(page, 'running-chart')).series.find((s: { name: string }) => s.name === 'Pending push').itemStyle.color;
  await expect.poll(queuedSeries).toBe(queued);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('#theme-switch')).toHaveValue('dark');
  await page.locator('#theme-switch').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  console.expectClean();
});

test('against a plain backend the dashboard and the progress tab say what it lacks, and run no chart', async ({ page }) => {
  const server = await privateServer({ plain: true });
  await server.remember(page);
  try {
    const console = watchConsole(page);
    // A chart page's address preloads ECharts before the console knows what the backend offers
    // (index.html); the console never adds the script, so it is never run.
    const ran = () => page.evaluate(() => 'echarts' in window || document.querySelector('script[src*="echarts"]') !== null);
    await page.goto(`${server.origin}/dashboard`);
    await expect(page.locator('section.running .hint')).toHaveText('This backend does not list the environment\'s running batches.');
    await expect(page.locator('section.failures .hint')).toHaveText('This backend does not count failures by reason.');
    await expect(page.locator('section.fleet .hint')).toHaveText('This backend does not report the versions devices run.');
    expect(await ran()).toBe(false);
    const listed = (await (await signedGet(page, `${server.origin}/?Action=ListOTAFirmware&PageSize=100`)).json()).FirmwareInfo.SimpleFirmwareInfo;
    const firmwareId = listed.find((p: { FirmwareName: string }) => p.FirmwareName === 'sm200-main-3_2_0').FirmwareId;
    const jobs = (await (await signedGet(page, `${server.origin}/?Action=ListOTAJobByFirmware&FirmwareId=${firmwareId}`)).json()).Data.SimpleOTAJobInfo;
    await page.goto(`${server.origin}/packages/${firmwareId}/batches/${jobs[0].JobId}?tab=progress`);
    await expect(page.locator('section.progress .hint')).toHaveText('This backend does not keep a batch\'s progress over time.');
    expect(await ran()).toBe(false);
    await page.goto(`${server.origin}/packages/${firmwareId}?tab=analysis`);
    await expect(page.locator('section.sources .hint')).toHaveText('This backend does not group tasks by source version.');
    // The discovery a plain backend refuses, as Alibaba's does.
    console.expectClean([/status of 400/]);
  } finally {
    await server.stop();
  }
});
