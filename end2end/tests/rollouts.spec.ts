// Safe rollouts against the real server (extension SafeRollout): a staged batch with a pause
// rule and a maintenance window made in the wizard and said back in words, the demo's modem
// batch paused by its failure rule and resumed, paused by an operator, its waiting devices
// cancelled, the dashboard's mark, a failure reason opening exactly its devices, and the
// panel in Japanese and through axe-core. Every count is checked against the API.
import { type Page, expect, test } from '@playwright/test';
import { apiBatch, apiCounts, openBatchWith, stateTab, taskRows } from './pages';
import { expectAccessible, privateServer, signedGet, simulate, watchConsole } from './support';

const next = (page: Page) => page.getByRole('button', { name: 'Next' }).click();

async function firmwareId(page: Page, origin: string, name: string): Promise<string> {
  const listed = (await (await signedGet(page, `${origin}/?Action=ListOTAFirmware&PageSize=100`)).json()).FirmwareInfo.SimpleFirmwareInfo;
  return listed.find((p: { FirmwareName: string }) => p.FirmwareName === name).FirmwareId;
}

/** The demo's batch of a package (each of these has one). */
async function batchOf(page: Page, origin: string, name: string): Promise<{ firmware: string; job: string }> {
  const firmware = await firmwareId(page, origin, name);
  const jobs = (await (await signedGet(page, `${origin}/?Action=ListOTAJobByFirmware&FirmwareId=${firmware}`)).json()).Data.SimpleOTAJobInfo;
  return { firmware, job: jobs[0].JobId };
}

/** Answers the open confirmation with its yes button. */
async function confirm(page: Page, button: string) {
  const dialog = page.locator('dialog.confirm[open]');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: button }).click();
  await expect(dialog).toBeHidden();
}

test('a staged batch with a pause rule and a window from the wizard: said in words, shown with its waves', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const id = await firmwareId(page, server.origin, 'sm200-main-3_1_0');
    await page.goto(`${server.origin}/packages/${id}/batches/new`);
    await page.getByLabel('All devices of the product').check();
    await next(page);
    await page.getByLabel('Devices a minute').fill('600');
    await page.getByLabel('Roll out in waves').check();
    await expect(page.getByLabel('Waves before the last')).toHaveValue('1%, 10%, 50%');
    await page.getByLabel('Waves before the last').fill('1%, 10%, lots');
    await next(page);
    await expect(page.locator('#batch-waves-error')).not.toBeEmpty();
    await page.getByLabel('Waves before the last').fill('10%, 30%');
    await page.getByLabel('Of at least (finished devices)').fill('5');
    await page.getByLabel('Pause automatically when devices fail').check();
    await page.getByLabel('Pause when more than (%) fail').fill('10');
    await page.getByLabel('Push only in maintenance windows').check();
    await page.getByLabel('Time zone').fill('Asia/Tokyo');
    await next(page);

    const review = page.locator('ul.review');
    const words =
      'In waves: 10%, 30%, then the rest; continue when 95 % of at least 5 have updated; ' +
      'pause if more than 10 % of the last 50 fail (judged from 20); only Tue–Thu 01:00–05:00 (Asia/Tokyo)';
    await expect(review).toContainText(words);
    const sizes = page.locator('[data-wave-sizes]');
    await expect(sizes).toBeVisible();
    const planned = Number(await page.locator('section.dry-run .headline').getAttribute('data-tasks'));
    const drawn = await sizes.getAttribute('data-wave-sizes');

    await page.getByRole('button', { name: 'Create batch' }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    const jobId = page.url().split('/batches/')[1];
    const job = await apiBatch(page, server.origin, jobId);
    const waves: { Number: number; Total: number }[] = job.Waves.Wave;
    const total = Object.values(await apiCounts(page, jobId, server.origin)).reduce((a, b) => a + b, 0);
    expect(total).toBe(planned);
    expect(drawn).toBe(waves.map((w) => w.Total).join(','));
    expect(job.PauseFailureRate).toBe('10');
    expect(job.MaintenanceTimeZone).toBe('Asia/Tokyo');

    const panel = page.locator('section.safety-panel');
    await expect(panel.locator('.rules')).toHaveText(words);
    await expect(panel.locator('ol.waves li')).toHaveCount(waves.length);
    for (const wave of waves) {
      await expect(panel.locator(`ol.waves li[data-wave="${wave.Number}"]`)).toHaveAttribute('data-total', String(wave.Total));
    }
    await expect(panel.locator('ol.waves li[data-state="running"]')).toHaveAttribute('data-wave', '1');
    await expect(panel.locator('.windows')).toHaveAttribute('data-window', job.InMaintenanceWindow ? 'open' : 'closed');
    await expect(panel.locator('.wave-rule')).toContainText('with at least 95 % succeeded');
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('a staged batch promotes itself as simulated devices update, and its page follows', async ({ page }) => {
  test.setTimeout(120_000);
  const server = await privateServer();
  await server.remember(page);
  let fleet: { stop(): Promise<void> } | undefined;
  try {
    const console = watchConsole(page);
    const firmware = await firmwareId(page, server.origin, 'hc3-ctrl-1_9_0');
    const params = new URLSearchParams({
      Action: 'CreateOTAStaticUpgradeJob', FirmwareId: firmware, ProductKey: 'a1Hvac3CtlM', TargetSelection: 'ALL',
      'SrcVersion.1': '1.8.0', OverwriteMode: '2', 'Wave.1.Count': '3', WaveSuccessRate: '100', MaximumPerMinute: '600',
    });
    const job = (await (await signedGet(page, `${server.origin}/?${params}`)).json()).Data.JobId;
    await page.goto(`${server.origin}/packages/${firmware}/batches/${job}`);
    const running = page.locator('section.safety-panel ol.waves li[data-state="running"]');
    await expect(running).toHaveAttribute('data-wave', '1');
    await expect(page.locator('section.safety-panel .wave-rule')).toContainText('Next wave when 3 have finished');

    fleet = simulate(server, 'a1Hvac3CtlM', 30);
    await expect(running).toHaveAttribute('data-wave', '2', { timeout: 60_000 });
    expect((await apiBatch(page, server.origin, job)).CurrentWave).toBe(2);
    await expect(page.locator('section.safety-panel ol.waves li[data-wave="1"]')).toHaveAttribute('data-succeeded', '3');
    console.expectClean();
  } finally {
    await fleet?.stop();
    await server.stop();
  }
});

test('a batch paused by its rule says why; resumed, paused by an operator, its waiting devices cancelled', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const { firmware, job } = await batchOf(page, server.origin, 'gw4-modem-fw-8_3');
    // The engine judged the seeded failures: paused, by the rule, with its numbers.
    await expect.poll(async () => (await apiBatch(page, server.origin, job)).Paused, { timeout: 15_000 }).toBe(true);
    await page.goto(`${server.origin}/dashboard`);
    await expect(page.locator(`tr[data-job-id="${job}"] [data-paused="true"]`)).toHaveText('Paused');

    await page.goto(`${server.origin}/packages/${firmware}/batches/${job}`);
    const paused = page.locator('section.safety-panel .paused');
    await expect(paused).toHaveAttribute('data-paused-by', 'RULE');
    await expect(paused).toContainText('5 of the last 8 finished devices failed (more than 25 %)');
    await expectAccessible(page, 'a paused batch', 'section.safety-panel');
    const queued = stateTab(page, 'QUEUED');
    await queued.click();
    await expect(taskRows(page).first()).toContainText(/Waiting for wave 2|Batch paused/);

    await paused.getByRole('button', { name: 'Resume' }).click();
    await confirm(page, 'Resume');
    await expect(page.locator('section.safety-panel .paused')).toHaveCount(0);
    expect((await apiBatch(page, server.origin, job)).Paused).toBeUndefined();

    await page.locator('section.safety-panel').getByRole('button', { name: 'Pause' }).click();
    await confirm(page, 'Pause');
    await expect(page.locator('section.safety-panel .paused')).toHaveAttribute('data-paused-by', 'OPERATOR');
    expect((await apiBatch(page, server.origin, job)).PausedBy).toBe('OPERATOR');

    const before = await apiCounts(page, job, server.origin);
    expect(before.QUEUED).toBeGreaterThan(0);
    await page.locator('section.safety-panel').getByRole('button', { name: 'Cancel waiting devices' }).click();
    await confirm(page, 'Cancel waiting devices');
    await expect.poll(async () => (await apiCounts(page, job, server.origin)).QUEUED).toBe(0);
    const after = await apiCounts(page, job, server.origin);
    expect(after.CANCELED).toBe(before.CANCELED + before.QUEUED + before.CONFIRM);
    await expect(stateTab(page, 'CANCELED').locator('.count')).toHaveText(String(after.CANCELED));
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('a failure reason opens exactly its devices', async ({ page }) => {
  const console = watchConsole(page);
  const jobId = await openBatchWith(page, 'FAILED', 'sm200-main-3_2_0');
  const listed = await (await signedGet(page, `/?Action=ListOTATaskByJob&JobId=${jobId}&ReasonCode=DOWNLOAD_FAILED&PageSize=100`)).json();
  const expected: string[] = listed.Data.SimpleOTATaskInfo.map((t: { DeviceName: string }) => t.DeviceName).sort();
  expect(expected.length).toBeGreaterThan(0);
  await page.goto(`${page.url().split('?')[0]}?state=failed&reason=DOWNLOAD_FAILED`);
  await expect(page.locator('p.filter')).toHaveAttribute('data-reason', 'DOWNLOAD_FAILED');
  await expect(taskRows(page)).toHaveCount(expected.length);
  const table = (await page.locator('table.tasks tbody').textContent()) ?? '';
  for (const name of expected) expect(table).toContain(name);
  await page.locator('p.filter').getByRole('link', { name: 'Show every reason' }).click();
  await expect(page.locator('p.filter')).toHaveCount(0);
  const failed = Number(await stateTab(page, 'FAILED').locator('.count').textContent());
  await expect(taskRows(page)).toHaveCount(Math.min(failed, 20));
  console.expectClean();
});

test.describe('in Japanese', () => {
  test.use({ locale: 'ja-JP' });
  test('a paused batch says why in Japanese', async ({ page }) => {
    const server = await privateServer();
    await server.remember(page);
    try {
      const { firmware, job } = await batchOf(page, server.origin, 'gw4-modem-fw-8_3');
      await expect.poll(async () => (await apiBatch(page, server.origin, job)).Paused, { timeout: 15_000 }).toBe(true);
      await page.goto(`${server.origin}/packages/${firmware}/batches/${job}`);
      const panel = page.locator('section.safety-panel');
      await expect(panel.getByRole('heading', { name: '安全なロールアウト' })).toBeVisible();
      await expect(panel.locator('.paused')).toContainText('直近の完了 8 台のうち 5 台が失敗しました');
      await expect(panel.getByRole('button', { name: '再開' })).toBeVisible();
      await expectAccessible(page, 'a paused batch in Japanese', 'section.safety-panel');
    } finally {
      await server.stop();
    }
  });
});
