// Ways to reach the console's pages and to read what they and the API show, shared by specs.
import { type Page, expect } from '@playwright/test';
import { signedGet } from './support';

export const batchRows = (page: Page) => page.locator('table.batches tbody tr');
export const STATES = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'];
const FIELDS = ['Confirm', 'Queued', 'Notified', 'InProgress', 'Succeeded', 'Failed', 'Canceled'];

export async function openPackage(page: Page, origin = '', search = 'sm200-main-3_2_0', name = 'sm200-main-3_2_0') {
  await page.goto(`${origin}/packages?q=${encodeURIComponent(search)}`);
  await page.getByRole('link', { name, exact: true }).click();
  // A page's code may still be on its way: the address changes once it has come.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

/** A batch as QueryOTAJob answers it (`Data`). */
export async function apiBatch(page: Page, origin: string, jobId: string) {
  return (await (await signedGet(page, `${origin}/?Action=QueryOTAJob&JobId=${jobId}`)).json()).Data;
}

/** A batch's tags as {key: value}. */
export const tagsOf = (data: { Tags?: { OtaTagDTO: { Key: string; Value: string }[] } }) =>
  Object.fromEntries((data.Tags?.OtaTagDTO ?? []).map((t) => [t.Key, t.Value]));

/** A batch's counts by state, as the API gives them. */
export async function apiCounts(page: Page, jobId: string, origin = ''): Promise<Record<string, number>> {
  const answer = await signedGet(page, `${origin}/?Action=QueryOTATaskStatistics&JobId=${jobId}`);
  const data = (await answer.json()).Data;
  return Object.fromEntries(STATES.map((state, i) => [state, data[FIELDS[i]]]));
}

/** Opens the first batch of a package that has tasks in `state`; answers its ID. */
export async function openBatchWith(
  page: Page,
  state: string,
  name = 'sm200-main-3_2_0',
  origin = '',
  search = name,
): Promise<string> {
  await openPackage(page, origin, search, name);
  const row = batchRows(page).filter({ has: page.locator(`.state-counts li[data-state="${state}"]`) }).first();
  const jobId = (await row.getAttribute('data-job-id'))!;
  await row.getByRole('link', { name: jobId }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`^(Batch details|バッチの詳細) ${jobId}$`));
  return jobId;
}

export const stateTab = (page: Page, state: string) => page.locator(`nav.state-tabs a[data-state="${state}"]`);
export const taskRows = (page: Page) => page.locator('table.tasks tbody tr');


/** A package's counts by state across its batches, as the API gives them. */
export async function apiPackageCounts(page: Page, firmwareId: string, origin = ''): Promise<Record<string, number>> {
  const answer = await signedGet(page, `${origin}/?Action=QueryOTATaskStatistics&FirmwareId=${firmwareId}`);
  const data = (await answer.json()).Data;
  return Object.fromEntries(STATES.map((state, i) => [state, data[FIELDS[i]]]));
}

/** Clicks a state tab and waits for that state's rows (the old rows stay until they come). */
export async function openState(page: Page, state: string) {
  await stateTab(page, state).click();
  await expect(page.locator(`.results[data-shown="${state}"]`)).toBeVisible();
}

/** Opens the demo's running dynamic batch (of gw4-os-2_5_1); answers its ID. */
export async function openDynamicBatch(page: Page, origin = ''): Promise<string> {
  await openPackage(page, origin, 'gw4-os-2_5_1', 'gw4-os-2_5_1');
  const row = batchRows(page).filter({ hasText: 'dynamic' }).first();
  const jobId = (await row.getAttribute('data-job-id'))!;
  await row.getByRole('link', { name: jobId }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`^(Batch details|バッチの詳細) ${jobId}$`));
  return jobId;
}

/**
 * A batch of hc3-ctrl-1_9_0 for every controller still on 1.8.0, at ten devices a minute (one
 * push every six seconds at most), overwriting the demo's pending updates; answers its IDs.
 */
export async function slowControllerBatch(page: Page, origin: string): Promise<{ firmwareId: string; jobId: string }> {
  const listed = (await (await signedGet(page, `${origin}/?Action=ListOTAFirmware&PageSize=100`)).json()).FirmwareInfo.SimpleFirmwareInfo;
  const firmwareId = listed.find((p: { FirmwareName: string }) => p.FirmwareName === 'hc3-ctrl-1_9_0').FirmwareId;
  const params = new URLSearchParams({
    Action: 'CreateOTAStaticUpgradeJob', FirmwareId: firmwareId, ProductKey: 'a1Hvac3CtlM',
    TargetSelection: 'ALL', 'SrcVersion.1': '1.8.0', MaximumPerMinute: '10', OverwriteMode: '2',
  });
  const created = await (await signedGet(page, `${origin}/?${params}`)).json();
  expect(created.Success, JSON.stringify(created)).toBe(true);
  return { firmwareId, jobId: created.Data.JobId };
}
