// Every page passes axe-core with no serious or critical violation, works by keyboard, and
// stays readable at tablet width.
import { type Page, expect, test } from '@playwright/test';
import { openBatchWith, openPackage, openState, stateTab, taskRows } from './pages';
import { expectAccessible, watchConsole } from './support';

/** Visits every kind of page and checks each once its content is there. */
async function visitEveryPage(page: Page) {
  await page.goto('/');
  await expect(page.locator('table.environments [data-reachable]').first()).toBeVisible();
  await expectAccessible(page, 'environments');

  await page.goto('/packages');
  await expect(page.locator('main table tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'packages');

  await openPackage(page);
  await expect(page.locator('table.batches .state-counts').first()).toBeVisible();
  await expectAccessible(page, 'package batches');
  await page.locator('nav.tabs a[data-tab="devices"]').click();
  await expect(taskRows(page).first()).toBeVisible();
  await expectAccessible(page, 'package devices');
  await page.locator('nav.tabs a[data-tab="info"]').click();
  await expect(page.locator('dl.fields')).toBeVisible();
  await expectAccessible(page, 'package information');
  await page.locator('nav.tabs a[data-tab="analysis"]').click();
  await expect(page.locator('#outcomes-chart canvas')).toBeVisible();
  await expect(page.locator('table.shares.versions tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'package data analysis');

  await openBatchWith(page, 'IN_PROGRESS');
  await openState(page, 'IN_PROGRESS');
  await expect(taskRows(page).first().locator('progress')).toBeVisible();
  await expectAccessible(page, 'batch devices');
  await page.locator('nav.tabs a[data-tab="info"]').click();
  await expect(page.locator('dl.batch-info')).toBeVisible();
  await expectAccessible(page, 'batch information');
  await page.locator('nav.tabs a[data-tab="progress"]').click();
  await expect(page.locator('#progress-chart canvas')).toBeVisible();
  await page.locator('details.progress-numbers summary').click();
  await expectAccessible(page, 'batch progress');
  await page.locator('nav.tabs a[data-tab="history"]').click();
  await expect(page.locator('section.batch-history :is(table, .panel.empty)')).toBeVisible();
  await expectAccessible(page, 'batch history');

  await page.goto('/audit');
  await expect(page.locator('section.audit-log :is(table.audit-events, .panel.empty)')).toBeVisible();
  await expectAccessible(page, 'audit log');

  // The dashboard, with a version's devices and a reason's batches listed.
  await page.goto('/dashboard?product=a1SMtr200Qx&module=default&version=3.0.0');
  await expect(page.locator('table.version-devices tbody tr').first()).toBeVisible();
  await expect(page.locator('table.running-jobs tbody tr').first()).toBeVisible();
  await page.locator('table.reasons tbody tr th a').first().click();
  await expect(page.locator('table.reason-batches tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'dashboard');

  await page.goto('/devices/a1SMtr200Qx/meter-0085');
  await expect(page.locator('table.modules')).toBeVisible();
  await expectAccessible(page, 'device');

  // The forms, with their problems showing.
  await page.goto('/packages/new');
  await expect(page.locator('#pkg-product option').nth(1)).toBeAttached();
  await page.locator('form.create-form button[type=submit]').click();
  await expect(page.locator('#pkg-name[aria-invalid="true"]')).toBeVisible();
  await expectAccessible(page, 'new package with its problems');

  await page.goto('/modules');
  await expect(page.locator('table.modules tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'modules');

  await openPackage(page, '', 'sm200-main-3_1_0', 'sm200-main-3_1_0');
  await page.locator('.header-actions a.button.primary').click();
  await expect(page.locator('form.wizard')).toBeVisible();
  await expectAccessible(page, 'batch wizard: scope');
  await page.locator('form.wizard .actions button.primary').click();
  await expect(page.locator('#batch-rate')).toBeVisible();
  await expectAccessible(page, 'batch wizard: policy');
  await page.locator('form.wizard .actions button.primary').click();
  await expect(page.locator('section.dry-run .headline')).toBeVisible();
  await expectAccessible(page, 'batch wizard: review');

  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page, 'not found');
}

test('every page passes axe-core without serious or critical violations', async ({ page }) => {
  const console = watchConsole(page);
  await visitEveryPage(page);
  console.expectClean();
});

test.describe('in the dark theme', () => {
  // The console follows the system's theme until one is chosen.
  test.use({ colorScheme: 'dark' });
  test('every page passes axe-core in the dark theme too', async ({ page }) => {
    const console = watchConsole(page);
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await visitEveryPage(page);
    console.expectClean();
  });
});

test.describe('in Japanese', () => {
  test.use({ locale: 'ja-JP' });
  test('every page passes axe-core in Japanese too', async ({ page }) => {
    const console = watchConsole(page);
    await visitEveryPage(page);
    console.expectClean();
  });
});

test('an open dialog passes axe-core, holds the focus, and gives it back when closed', async ({ page }) => {
  const console = watchConsole(page);
  await openBatchWith(page, 'QUEUED');
  await openState(page, 'QUEUED');
  const cancel = taskRows(page).first().getByRole('button', { name: 'Cancel' });
  await cancel.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Go back' })).toBeFocused();
  await expectAccessible(page, 'confirm dialog');
  // Tab stays inside the modal dialog.
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(cancel).toBeFocused();
  console.expectClean();
});

test('the form that edits a running batch passes axe-core, with its errors shown', async ({ page }) => {
  const console = watchConsole(page);
  await openBatchWith(page, 'QUEUED');
  await page.getByRole('button', { name: 'Edit batch' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Push rate (devices a minute)').fill('5');
  await expect(dialog.getByLabel('Push rate (devices a minute)')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'edit batch dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  console.expectClean();
});

test('the state tabs and a row action work by keyboard alone, with a visible focus', async ({ page }) => {
  const console = watchConsole(page);
  await openBatchWith(page, 'FAILED');
  const failed = stateTab(page, 'FAILED');
  // From the first state tab, Tab moves along the tabs in order.
  await stateTab(page, 'ALL').focus();
  for (const state of ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED']) {
    await page.keyboard.press('Tab');
    await expect(stateTab(page, state)).toBeFocused();
  }
  const outline = await failed.evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/state=failed/);
  await expect(failed).toHaveAttribute('aria-current', 'page');
  console.expectClean();
});

test.describe('at tablet width', () => {
  test.use({ viewport: { width: 768, height: 1024 } });

  test('pages fit the width; wide tables scroll inside themselves', async ({ page }) => {
    const console = watchConsole(page);
    for (const open of [
      async () => page.goto('/'),
      async () => page.goto('/packages'),
      async () => openPackage(page),
      async () => openBatchWith(page, 'FAILED'),
      async () => page.goto('/devices/a1SMtr200Qx/meter-0085'),
      async () => page.goto('/dashboard'),
    ]) {
      await open();
      await expect(page.locator('main h1')).toBeVisible();
      await expect(page.locator('main table.data').first()).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, page.url()).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: 'test-results/tablet-batch.png', fullPage: true });
    console.expectClean();
  });
});
