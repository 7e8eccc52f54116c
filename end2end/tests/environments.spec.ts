// The start page: environments with whether they answer and their headline numbers, and the
// environments a user adds, kept in the browser.
import { type Page, expect, test } from '@playwright/test';
import { privateServer, watchConsole } from './support';

const envRow = (page: Page, id: string) => page.locator(`table.environments tr[data-env="${id}"]`);

async function overview(page: Page, origin = '') {
  return (await (await page.request.get(`${origin}/?Action=QueryOTAOverview`)).json()).Data;
}

test('the start page lists the environments, whether they answer, and what is under way', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Environments' })).toBeVisible();
  const row = envRow(page, 'local');
  await expect(row.locator('[data-reachable]')).toHaveAttribute('data-reachable', 'true');
  const expected = await overview(page);
  const numbers = row.locator('td.number');
  await expect(numbers.nth(0)).toHaveText(String(expected.FirmwareCount));
  await expect(numbers.nth(1)).toHaveText(new RegExp(`^${expected.JobsInProgress}( \\(\\+\\d+ scheduled\\))?$`));
  await expect(numbers.nth(2)).toHaveText(String(expected.UnfinishedTasks));
  await row.getByRole('link', { name: 'Open' }).click();
  await expect(page).toHaveURL(/\/packages$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Update packages' })).toBeVisible();
  console.expectClean();
});

test('a user adds an environment: checked field by field, kept across reloads, chosen, removed', async ({ page }) => {
  const server = await privateServer({ corsOrigin: '*' });
  try {
    const console = watchConsole(page);
    await page.goto('/');
    const form = page.locator('form.add-environment');
    await form.getByRole('button', { name: 'Add environment' }).click();
    await expect(form.getByText('Give it a name of 1 to 64 characters.')).toBeVisible();
    await form.getByLabel('Name').fill('This server');
    await form.getByRole('button', { name: 'Add environment' }).click();
    await expect(form.getByText('Another environment has this name.')).toBeVisible();
    await form.getByLabel('Name').fill('Factory line 2');
    await form.getByLabel('Endpoint').fill('ota.factory.example');
    await form.getByRole('button', { name: 'Add environment' }).click();
    await expect(form.getByLabel('Endpoint')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByText('Enter the backend\'s address, starting with https:// or http://.')).toBeVisible();
    // Nothing typed is lost on a refusal.
    await expect(form.getByLabel('Name')).toHaveValue('Factory line 2');
    await form.getByLabel('Endpoint').fill(`${server.origin}/`);
    await form.getByRole('button', { name: 'Add environment' }).click();

    const row = envRow(page, 'factory-line-2');
    await expect(row.locator('[data-reachable]')).toHaveAttribute('data-reachable', 'true');
    const expected = await overview(page, server.origin);
    await expect(row.locator('td.number').nth(0)).toHaveText(String(expected.FirmwareCount));
    await expect(form.getByLabel('Name')).toHaveValue('');

    await page.reload();
    await expect(envRow(page, 'factory-line-2')).toBeVisible();
    await page.getByRole('combobox', { name: /^Environment/ }).selectOption('factory-line-2');
    await expect(page).toHaveURL(/\/packages\?env=factory-line-2$/);
    await expect(page.locator('main table tbody tr').first()).toBeVisible();

    await page.goto('/');
    await envRow(page, 'factory-line-2').getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByRole('dialog')).toContainText('Remove “Factory line 2” from this browser?');
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(envRow(page, 'factory-line-2')).toHaveCount(0);
    await page.reload();
    await expect(envRow(page, 'local')).toBeVisible();
    await expect(envRow(page, 'factory-line-2')).toHaveCount(0);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('an environment that does not answer says so and leaves the others alone', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/');
  const form = page.locator('form.add-environment');
  await form.getByLabel('Name').fill('Gone');
  await form.getByLabel('Endpoint').fill('http://127.0.0.1:9/');
  await form.getByRole('button', { name: 'Add environment' }).click();
  await expect(envRow(page, 'gone').locator('[data-reachable]')).toHaveAttribute('data-reachable', 'false');
  await expect(envRow(page, 'gone')).toContainText('Not reachable');
  await expect(envRow(page, 'local').locator('[data-reachable]')).toHaveAttribute('data-reachable', 'true');
  console.expectClean([/ERR_CONNECTION_REFUSED|Failed to fetch|net::ERR/]);
});
