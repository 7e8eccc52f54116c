// The start page: environments with whether they answer and their headline numbers, and the
// environments a user adds, kept in the browser.
import { type Page, expect, test } from '@playwright/test';
import { privateServer, signedGet, watchConsole } from './support';

const envGroup = (page: Page, id: string) => page.locator(`table.environments tbody[data-env="${id}"]`);
const instanceRow = (page: Page, env: string, instance: string) =>
  envGroup(page, env).locator(`tr[data-instance="${instance}"]`);

async function overview(page: Page, origin = '', instance = '') {
  const chosen = instance ? `&IotInstanceId=${instance}` : '';
  return (await (await signedGet(page, `${origin}/?Action=QueryOTAOverview${chosen}`)).json()).Data;
}

test('the start page lists the environments, their instances, whether they answer, and what is under way', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'All environments' })).toBeVisible();
  await expect(envGroup(page, 'local').locator('[data-reachable]')).toHaveAttribute('data-reachable', 'true');
  const listed = (await (await signedGet(page, '/?Action=ListIotInstances')).json()).Data.InstanceInfo;
  await expect(envGroup(page, 'local').locator('tr[data-instance]')).toHaveCount(listed.length);
  const row = instanceRow(page, 'local', 'iot-default');
  await expect(row.getByRole('link', { name: 'iot-default', exact: true })).toBeVisible();
  await expect(row.getByRole('link', { name: 'Default instance', exact: true })).toBeVisible();
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

test("an instance's ID or name opens its own packages, and every link keeps to that instance", async ({ page }) => {
  const server = await privateServer({ instances: ['iot-default=Default instance', 'iot-lab=Lab'] });
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await page.goto(`${server.origin}/`);
    const lab = instanceRow(page, 'local', 'iot-lab');
    await expect(lab.locator('td.number').first()).toHaveText(String((await overview(page, server.origin, 'iot-lab')).FirmwareCount));
    await expect(instanceRow(page, 'local', 'iot-default').locator('td.number').first()).toHaveText(
      String((await overview(page, server.origin)).FirmwareCount),
    );
    // The lab instance holds a package of its own; the default instance's stay out of sight.
    const created = await (await signedGet(page, `${server.origin}/?Action=CreateProduct&IotInstanceId=iot-lab&ProductName=Lab meters`)).json();
    expect(created.Success, JSON.stringify(created)).toBe(true);
    await page.reload();
    await lab.getByRole('link', { name: 'Lab', exact: true }).click();
    await expect(page).toHaveURL(`${server.origin}/packages?instance=iot-lab`);
    await expect(page.getByText('There are no update packages yet.')).toBeVisible();
    await expect(page.locator('header .instance')).toHaveText('iot-lab');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    for (const link of ['Dashboard', 'Update packages', 'Modules', 'All environments']) {
      await expect(nav.getByRole('link', { name: link, exact: true })).toHaveAttribute('href', /[?&]instance=iot-lab(&|$)/);
    }
    await expect(page.locator('header a.brand')).toHaveAttribute('href', /[?&]instance=iot-lab(&|$)/);
    await nav.getByRole('link', { name: 'Modules' }).click();
    await expect(page).toHaveURL(/\/modules\?(.*&)?instance=iot-lab/);
    await expect(page.locator('#module-product option', { hasText: 'Lab meters' })).toBeAttached();
    // Back on the start page, the default instance's ID opens the demo's packages.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'All environments' }).click();
    await instanceRow(page, 'local', 'iot-default').getByRole('link', { name: 'iot-default', exact: true }).click();
    await expect(page).toHaveURL(`${server.origin}/packages`);
    await expect(page.locator('main table tbody tr').first()).toBeVisible();
    await expect(page.locator('header .instance')).toHaveCount(0);
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('a user adds an environment: checked field by field, kept across reloads, chosen, removed', async ({ page }) => {
  const server = await privateServer({ corsOrigin: '*' });
  await server.remember(page);
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

    await expect(envGroup(page, 'factory-line-2').locator('[data-reachable]')).toHaveAttribute('data-reachable', 'true');
    const expected = await overview(page, server.origin);
    await expect(instanceRow(page, 'factory-line-2', 'iot-default').locator('td.number').nth(0)).toHaveText(String(expected.FirmwareCount));
    await expect(form.getByLabel('Name')).toHaveValue('');

    await page.reload();
    await expect(envGroup(page, 'factory-line-2')).toBeVisible();
    await page.getByRole('combobox', { name: /^Environment/ }).selectOption('factory-line-2');
    await expect(page).toHaveURL(/\/packages\?env=factory-line-2$/);
    await expect(page.locator('main table tbody tr').first()).toBeVisible();

    await page.goto('/');
    await envGroup(page, 'factory-line-2').getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByRole('dialog')).toContainText('Remove “Factory line 2” from this browser?');
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(envGroup(page, 'factory-line-2')).toHaveCount(0);
    await page.reload();
    await expect(envGroup(page, 'local')).toBeVisible();
    await expect(envGroup(page, 'factory-line-2')).toHaveCount(0);
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
  await expect(envGroup(page, 'gone').locator('[data-reachable]')).toHaveAttribute('data-reachable', 'false');
  await expect(envGroup(page, 'gone')).toContainText('Not reachable');
  await expect(envGroup(page, 'local').locator('[data-reachable]')).toHaveAttribute('data-reachable', 'true');
  console.expectClean([/ERR_CONNECTION_REFUSED|Failed to fetch|net::ERR/]);
});
