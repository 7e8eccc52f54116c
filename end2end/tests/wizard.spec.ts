// The batch wizard against the real server: each kind of batch created from it, the review's
// counts (extension DryRun) equal to what the batch then holds, a scheduled batch PLANNED,
// refusals shown where they belong, and a batch that runs with simulated devices.
import { type Page, expect, test } from '@playwright/test';
import { apiCounts, stateTab } from './pages';
import { privateServer, signedGet, simulate, watchConsole } from './support';

const next = (page: Page) => page.getByRole('button', { name: 'Next' }).click();

/** Opens the wizard for a package (found through the API, which any backend can list). */
async function openWizard(page: Page, origin: string, name: string) {
  const listed = (await (await signedGet(page, `${origin}/?Action=ListOTAFirmware&PageSize=100`)).json()).FirmwareInfo.SimpleFirmwareInfo;
  const id = listed.find((p: { FirmwareName: string }) => p.FirmwareName === name).FirmwareId;
  await page.goto(`${origin}/packages/${id}`);
  await page.getByRole('link', { name: 'New batch' }).click();
  await expect(page.getByRole('heading', { name: 'New batch' })).toBeVisible();
}

/** Creates the batch on the review step; answers its ID once its page shows. */
async function createFromReview(page: Page) {
  await page.getByRole('button', { name: 'Create batch' }).click();
  await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
  const jobId = page.url().split('/batches/')[1];
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Batch details ${jobId}`);
  return jobId;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

test('a static batch from the wizard: its review counts equal the tasks it gets, and it runs with the simulator', async ({ page }) => {
  test.setTimeout(120_000);
  const server = await privateServer();
  await server.remember(page);
  let fleet: { stop(): Promise<void> } | undefined;
  try {
    const console = watchConsole(page);
    await openWizard(page, server.origin, 'sm200-main-3_1_0');
    // Step 1: every device of the product, on a version offered from what devices report.
    await expect(page.getByRole('radio', { name: /^Static/ })).toBeChecked();
    await page.getByLabel('All devices of the product').check();
    await page.getByRole('button', { name: /^\+ 3\.0\.0 \(\d+ devices\)$/ }).click();
    await expect(page.getByRole('textbox', { name: 'Source versions' })).toHaveValue('3.0.0');
    await next(page);
    // Step 2: a push rate.
    await page.getByLabel('Devices a minute').fill('600');
    await page.getByRole('button', { name: 'Add a tag' }).click();
    await page.getByLabel('Key of tag 1').fill('wave');
    await page.getByLabel('Value of tag 1').fill('1');
    await next(page);
    // Step 3: what will happen, and to how many devices.
    const review = page.locator('ul.review');
    await expect(review).toContainText('Update every device of the product to sm200-main-3_1_0 (3.1.0).');
    await expect(review).toContainText('Only devices on 3.0.0 are updated.');
    await expect(review).toContainText('At most 600 devices are pushed a minute.');
    const headline = page.locator('section.dry-run .headline');
    await expect(headline).toBeVisible();
    const planned = Number(await headline.getAttribute('data-tasks'));
    expect(planned).toBeGreaterThan(0);

    const jobId = await createFromReview(page);
    expect(total(await apiCounts(page, jobId, server.origin))).toBe(planned);
    const job = (await (await signedGet(page, `${server.origin}/?Action=QueryOTAJob&JobId=${jobId}`)).json()).Data;
    expect(job.MaximumPerMinute).toBe(600);
    expect(job.Tags.OtaTagDTO).toEqual([{ Key: 'wave', Value: '1' }]);
    // Devices come online (only now, so that the counts above held still) and take the update.
    fleet = simulate(server, 'a1SMtr200Qx', 130);
    await expect
      .poll(async () => Number(await stateTab(page, 'SUCCEEDED').locator('.count').textContent()), { timeout: 60_000 })
      .toBeGreaterThan(0);
    console.expectClean();
  } finally {
    await fleet?.stop();
    await server.stop();
  }
});

test('an unverified package offers only a verification batch; wrong device names block the step', async ({ page }) => {
  const server = await privateServer({ plain: true });
  await server.remember(page);
  try {
    await openWizard(page, server.origin, 'hc3-ctrl-2_0_0');
    await expect(page.getByText('only a verification batch can use it now')).toBeVisible();
    await expect(page.getByRole('radio', { name: /^Static/ })).toBeDisabled();
    await expect(page.getByRole('radio', { name: /^Verification/ })).toBeChecked();
    // Nothing typed: the step does not go on, and the field says why.
    await next(page);
    await expect(page.locator('#batch-devices-error')).toHaveText('Required.');
    await expect(page.getByRole('textbox', { name: 'Test devices' })).toBeFocused();
    await page.getByRole('textbox', { name: 'Test devices' }).fill('hvac-001, x');
    await expect(page.locator('#batch-devices-error')).toHaveText('4 to 32 characters.');
    const devices = (await (await signedGet(page, `${server.origin}/?Action=QueryDevice&ProductKey=a1Hvac3CtlM&PageSize=2`)).json()).Data.DeviceInfo;
    await page.getByRole('textbox', { name: 'Test devices' }).fill(devices[0].DeviceName);
    await page.getByLabel('Find a device').fill(devices[1].DeviceName);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await next(page);
    // A verification batch has no push rate, schedule or overwrite.
    await expect(page.getByLabel('Devices a minute')).toHaveCount(0);
    await expect(page.getByLabel('Overwrite')).toHaveCount(0);
    await next(page);
    await expect(page.locator('ul.review')).toContainText('Verify hc3-ctrl-2_0_0 (2.0.0) on 2 test devices.');
    // A backend without DryRun (here Alibaba's plain API) is not asked to count.
    await expect(page.locator('section.dry-run')).toContainText('cannot count the devices');
    const jobId = await createFromReview(page);
    const job = (await (await signedGet(page, `${server.origin}/?Action=QueryOTAJob&JobId=${jobId}`)).json()).Data;
    expect(job.JobType).toBe('VERFIY_FIRMWARE');
    const tasks = await (await signedGet(page, `${server.origin}/?Action=ListOTATaskByJob&JobId=${jobId}&PageSize=10`)).json();
    expect(tasks.Total).toBe(2);
    // DryRun was never sent: the review made no batch of its own.
    const firmwareId = job.FirmwareId;
    const batches = await (await signedGet(page, `${server.origin}/?Action=ListOTAJobByFirmware&FirmwareId=${firmwareId}`)).json();
    expect(batches.Total).toBe(1);
  } finally {
    await server.stop();
  }
});

test('a dynamic batch from the wizard; a second one is refused in the review with the reason', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    await openWizard(page, server.origin, 'hc3-ctrl-1_9_0');
    await page.getByRole('radio', { name: /^Dynamic/ }).check();
    await next(page);
    await expect(page.locator('#batch-versions-error')).toHaveText('Required.');
    await page.getByRole('textbox', { name: 'Source versions' }).fill('1.8.0');
    await page.getByLabel('Only devices that report one of these versions from now on').check();
    await next(page);
    await page.getByLabel('Timeout (minutes)').fill('30');
    await next(page);
    await expect(page.locator('ul.review')).toContainText('Update devices to hc3-ctrl-1_9_0 (1.9.0) when they report 1.8.0 from now on.');
    await expect(page.locator('ul.review')).toContainText('An update that takes longer than 30 minutes fails.');
    await expect(page.locator('section.dry-run .headline')).toHaveAttribute('data-tasks', '0');
    const jobId = await createFromReview(page);
    const job = (await (await signedGet(page, `${server.origin}/?Action=QueryOTAJob&JobId=${jobId}`)).json()).Data;
    expect([job.SelectionType, job.DynamicMode, job.TimeoutInMinutes]).toEqual(['DYNAMIC', 2, 30]);

    // The package has a running dynamic batch now: the review says the backend would refuse.
    await openWizard(page, server.origin, 'hc3-ctrl-1_9_0');
    await page.getByRole('radio', { name: /^Dynamic/ }).check();
    await page.getByRole('textbox', { name: 'Source versions' }).fill('1.8.0');
    await next(page);
    await next(page);
    await expect(page.locator('[data-dry-run="refused"]')).toContainText('running dynamic batch');
  } finally {
    await server.stop();
  }
});

test('a batch scheduled for later is PLANNED; a start too soon is refused beside its field', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const local = (ms: number) => {
      const t = new Date(ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}`;
    };
    await openWizard(page, server.origin, 'ipc7-fw-5_1_0');
    await page.getByLabel('A share of the devices, picked at random').check();
    await page.getByLabel('Share of devices (%)').fill('0');
    await next(page);
    await expect(page.locator('#batch-gray-error')).not.toBeEmpty();
    await page.getByLabel('Share of devices (%)').fill('50');
    await next(page);
    await page.getByLabel('At a chosen time').check();
    await page.getByLabel('Starts at').fill(local(Date.now() + 60_000));
    await expect(page.locator('#batch-start-at-error')).toContainText('5 minutes to 7 days');
    await page.getByLabel('Starts at').fill(local(Date.now() + 24 * 3600_000));
    await page.getByLabel('Devices a minute').fill('5');
    await next(page);
    await expect(page.locator('#batch-rate-error')).toHaveText('A whole number from 10 to 10000.');
    await page.getByLabel('Devices a minute').fill('50');
    await next(page);
    await expect(page.locator('ul.review')).toContainText('It starts at');
    await expect(page.locator('section.dry-run')).toContainText('Scheduled');
    const jobId = await createFromReview(page);
    const job = (await (await signedGet(page, `${server.origin}/?Action=QueryOTAJob&JobId=${jobId}`)).json()).Data;
    expect(job.JobStatus).toBe('PLANNED');
    expect(job.TargetSelection).toBe('GRAY');
  } finally {
    await server.stop();
  }
});

test("a backend's refusal of a field takes the operator back to it; conflicting choices are named", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    await openWizard(page, server.origin, 'sm200-main-3_1_0');
    await page.getByLabel('Chosen devices').check();
    await page.getByRole('textbox', { name: 'Device names' }).fill('meter-0001, no-such-meter');
    await next(page);
    // Overwriting cannot go with multi-module updates: the step says so beside the box.
    await page.getByLabel('Overwrite').check();
    await page.getByLabel('Multi-module').check();
    await next(page);
    await expect(page.locator('#batch-overwrite-error')).toHaveText('Cannot be combined with “Multi-module”.');
    await page.getByLabel('Multi-module').uncheck();
    await next(page);
    // The dry run already says the backend would refuse; creating anyway leads back to the field.
    await expect(page.locator('[data-dry-run="refused"]')).toContainText('no-such-meter');
    await page.getByRole('button', { name: 'Create batch' }).click();
    await expect(page.getByRole('heading', { name: '1. Update scope' })).toBeVisible();
    await expect(page.locator('#batch-devices-error')).toContainText('no-such-meter');
    await expect(page.getByRole('textbox', { name: 'Device names' })).toHaveValue('meter-0001, no-such-meter');
  } finally {
    await server.stop();
  }
});

test('a verification batch made in the wizard runs on simulated devices, and its package becomes verified', async ({ page }) => {
  test.setTimeout(120_000);
  const server = await privateServer();
  await server.remember(page);
  let fleet: { stop(): Promise<void> } | undefined;
  try {
    await openWizard(page, server.origin, 'hc3-ctrl-2_0_0');
    // Devices already on 1.9.0: no other batch holds them (the demo's 1.9.0 rollout does the rest).
    const all = (await (await signedGet(page, `${server.origin}/?Action=QueryDevice&ProductKey=a1Hvac3CtlM&PageSize=50`)).json()).Data.DeviceInfo;
    const devices = all.filter((d: { FirmwareVersion?: string }) => d.FirmwareVersion === '1.9.0').slice(0, 3);
    expect(devices).toHaveLength(3);
    await page.getByRole('textbox', { name: 'Test devices' }).fill(devices.map((d: { DeviceName: string }) => d.DeviceName).join('\n'));
    await next(page);
    await next(page);
    await expect(page.locator('section.dry-run .headline')).toHaveAttribute('data-tasks', '3');
    const jobId = await createFromReview(page);
    fleet = simulate(server, 'a1Hvac3CtlM', 30);
    await expect.poll(async () => (await apiCounts(page, jobId, server.origin)).SUCCEEDED, { timeout: 60_000 }).toBe(3);
    const listed = (await (await signedGet(page, `${server.origin}/?Action=ListOTAFirmware&PageSize=100`)).json()).FirmwareInfo.SimpleFirmwareInfo;
    const status = listed.find((p: { FirmwareName: string }) => p.FirmwareName === 'hc3-ctrl-2_0_0').Status;
    expect(status).toBe(1); // VERIFIED
  } finally {
    await fleet?.stop();
    await server.stop();
  }
});
