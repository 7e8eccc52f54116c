// Creating things from the browser against the real server: packages (files hashed in the
// browser, uploaded, and their digests checked by the server).
import { expect, test } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateServer, signedGet, watchConsole } from './support';

const MB = 1024 * 1024;

/** A file of random bytes on disk, with its digests. */
function packageFile(name: string, bytes: number) {
  const data = randomBytes(bytes);
  const path = join(mkdtempSync(join(tmpdir(), 'ota-e2e-files-')), name);
  writeFileSync(path, data);
  const digest = (algorithm: string) => createHash(algorithm).update(data).digest('hex');
  return { path, size: bytes, md5: digest('md5'), sha256: digest('sha256') };
}

test("a 50 MB package is hashed in the browser, uploaded, and the server's digest matches", async ({ page }) => {
  test.setTimeout(120_000);
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const file = packageFile('sm200-main-9.9.9.bin', 50 * MB);
    await page.goto(`${server.origin}/packages`);
    await page.getByRole('link', { name: 'New package' }).click();
    await expect(page.getByRole('heading', { name: 'New package' })).toBeVisible();
    await page.getByLabel('Product').selectOption('a1SMtr200Qx');
    await expect(page.getByLabel('Module')).toContainText('default');
    await page.getByLabel('Package name').fill('sm200-main-9_9_9');
    await page.getByLabel('Version after update').fill('9.9.9');
    await page.getByLabel('Signature algorithm').selectOption('SHA256');
    await page.getByLabel('Files').setInputFiles(file.path);
    await expect(page.locator('ul.chosen-files')).toContainText('sm200-main-9.9.9.bin');
    await page.getByRole('button', { name: 'Upload and create' }).click();

    await page.waitForURL(/\/packages\/(?!new)[^/?]+$/, { timeout: 90_000 });
    await expect(page.getByRole('heading', { name: 'sm200-main-9_9_9' })).toBeVisible();
    const id = new URL(page.url()).pathname.split('/').pop();
    const stored = (await (await signedGet(page, `${server.origin}/?Action=QueryOTAFirmware&FirmwareId=${id}`)).json()).FirmwareInfo;
    expect(stored.FirmwareSign).toBe(file.sha256);
    expect(stored.SignMethod).toBe('SHA256');
    expect(stored.FirmwareSize).toBe(file.size);
    expect(stored.DestVersion).toBe('9.9.9');
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('the package form names every broken rule, and a failed submit loses nothing', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    await page.goto(`${server.origin}/packages/new`);
    await page.getByRole('button', { name: 'Upload and create' }).click();
    // Nothing is sent: each required field says so.
    for (const field of ['Product', 'Package name', 'Version after update']) {
      await expect(page.getByLabel(field)).toHaveAttribute('aria-invalid', 'true');
    }
    await expect(page.locator('#pkg-files-error')).toHaveText('Required.');

    // A module chosen for one product does not linger when the product changes.
    await page.getByLabel('Product').selectOption('a1SMtr200Qx');
    await page.getByLabel('Module').selectOption('zigbee');
    await page.getByLabel('Product').selectOption('a1GwLte4Kx9');
    await expect(page.getByLabel('Module')).toHaveValue('default');
    await page.getByLabel('Package name').fill('gw4-firmware');
    await page.getByLabel('Version after update').fill('5.0 beta');
    await expect(page.locator('#pkg-version-error')).toHaveText('“ ” is not allowed here.');
    await page.getByLabel('Version after update').fill('5.0.0');
    const notes = packageFile('release-notes.txt', 1000);
    await page.getByLabel('Files').setInputFiles(notes.path);
    await expect(page.locator('ul.chosen-files')).toContainText('Must be one of .bin');
    await page.getByRole('button', { name: 'Remove release-notes.txt' }).click();
    const file = packageFile('gw4-5.0.0.bin', 64 * 1024);
    await page.getByLabel('Files').setInputFiles(file.path);

    // The backend goes away: the refusal is shown, and every field keeps what was typed.
    await server.stop();
    await page.getByRole('button', { name: 'Upload and create' }).click();
    await expect(page.getByRole('alert')).toContainText('The package was not created');
    await expect(page.getByLabel('Package name')).toHaveValue('gw4-firmware');
    await expect(page.getByLabel('Version after update')).toHaveValue('5.0.0');
    await expect(page.locator('ul.chosen-files')).toContainText('gw4-5.0.0.bin');

    // Back again, the same form goes through.
    await server.start();
    await page.getByRole('button', { name: 'Upload and create' }).click();
    await expect(page.getByRole('heading', { name: 'gw4-firmware' })).toBeVisible();
    const id = new URL(page.url()).pathname.split('/').pop();
    const stored = (await (await signedGet(page, `${server.origin}/?Action=QueryOTAFirmware&FirmwareId=${id}`)).json()).FirmwareInfo;
    expect(stored.ModuleName).toBe('default');
  } finally {
    await server.stop();
  }
});

test('leaving a package form with unsaved changes asks first', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    await page.goto(`${server.origin}/packages/new`);
    await page.getByLabel('Package name').fill('half-done');
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect(asked).toContain('has not been saved');
    await expect(page.getByLabel('Package name')).toHaveValue('half-done');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(page.getByRole('heading', { name: 'Update packages' })).toBeVisible();
  } finally {
    await server.stop();
  }
});

test('the browser\'s Back and Forward ask before a form with unsaved changes is left, and staying keeps every field', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const fill = async () => {
      await page.getByLabel('Package name').fill('half-done');
      await page.getByLabel('Version after update').fill('9.9.9');
    };
    const kept = async () => {
      await expect(page).toHaveURL(/\/packages\/new$/);
      await expect(page.getByLabel('Package name')).toHaveValue('half-done');
      await expect(page.getByLabel('Version after update')).toHaveValue('9.9.9');
    };
    /** The browser's Back or Forward: a traversal the operator cancels never commits, so the
     * wait for it ends after a moment instead of at the test's timeout. */
    const traverse = (go: 'goBack' | 'goForward') => page[go]({ timeout: 3000 }).catch(() => null);
    /** Answers the next question, and what it asked. */
    const answer = (accept: boolean) => new Promise<string>((resolve) => page.once('dialog', (dialog) => {
      resolve(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    }));
    await page.goto(`${server.origin}/packages`);
    await page.getByRole('link', { name: 'New package' }).click();
    await fill();
    // Back, and stay: the page never left.
    let asked = answer(false);
    await traverse('goBack');
    expect(await asked).toContain('has not been saved');
    await kept();
    // Back, and leave.
    asked = answer(true);
    await page.goBack();
    await asked;
    await expect(page.getByRole('heading', { name: 'Update packages' })).toBeVisible();
    // Forward into a fresh form, on to a page after it, and back to the form: Forward asks too.
    await page.goForward();
    await fill();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(page.getByRole('heading', { name: 'Update packages' })).toBeVisible();
    await page.goBack();
    await fill();
    asked = answer(false);
    await traverse('goForward');
    expect(await asked).toContain('has not been saved');
    await kept();
    // Nothing unsaved: Back asks nothing.
    let askedAgain = false;
    page.on('dialog', (dialog) => { askedAgain = true; void dialog.accept(); });
    await page.getByLabel('Package name').fill('');
    await page.getByLabel('Version after update').fill('');
    await page.goBack();
    await expect(page.getByRole('heading', { name: 'Update packages' })).toBeVisible();
    expect(askedAgain).toBe(false);
  } finally {
    await server.stop();
  }
});

/** A package made through the API (upload, then create); answers its ID. */
async function apiPackage(page: import('@playwright/test').Page, origin: string, name: string, version: string) {
  const grant = (await (await signedGet(page, `${origin}/?Action=GenerateOTAUploadURL&FileSuffix=bin`)).json()).Data;
  const put = await page.request.put(grant.FirmwareUrl, { data: randomBytes(4096) });
  expect(put.ok()).toBeTruthy();
  const params = new URLSearchParams({
    Action: 'CreateOTAFirmware', ProductKey: 'a1SMtr200Qx', FirmwareName: name, DestVersion: version,
    FirmwareUrl: grant.FirmwareUrl, NeedToVerify: 'false',
  });
  const created = await (await signedGet(page, `${origin}/?${params}`)).json();
  expect(created.Success, JSON.stringify(created)).toBe(true);
  return created.Data.FirmwareId as string;
}

test("a package's name and description change, a taken name is refused beside its field, and it can be deleted", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const id = await apiPackage(page, server.origin, 'e2e-to-edit', '7.7.7');
    await page.goto(`${server.origin}/packages/${id}`);
    await page.getByRole('button', { name: 'Edit package' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('Package name')).toHaveValue('e2e-to-edit');
    // The backend refuses a name another package has; the refusal shows beside the name.
    await dialog.getByLabel('Package name').fill('sm200-main-3_2_0');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog.locator('#edit-pkg-name-error')).toContainText('exists already');
    await dialog.getByLabel('Package name').fill('e2e-edited');
    await dialog.getByLabel('Description').fill('Fixes the clock drift');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('heading', { name: 'e2e-edited' })).toBeVisible();
    const stored = (await (await signedGet(page, `${server.origin}/?Action=QueryOTAFirmware&FirmwareId=${id}`)).json()).FirmwareInfo;
    expect(stored.FirmwareDesc).toBe('Fixes the clock drift');

    await page.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('dialog')).toContainText('Delete the package e2e-edited?');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('heading', { name: 'Update packages' })).toBeVisible();
    const gone = await (await signedGet(page, `${server.origin}/?Action=QueryOTAFirmware&FirmwareId=${id}`)).json();
    expect(gone.Code).toBe('iot.ota.FirmwareNotFound');
    console.expectClean([/status of 409/]);
  } finally {
    await server.stop();
  }
});

test('deleting a package with running batches is refused, and the reason is shown', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    await page.goto(`${server.origin}/packages`);
    await page.getByRole('link', { name: 'sm200-main-3_2_0' }).first().click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('alert')).toContainText('has unfinished batches; cancel them first');
    await expect(page.getByRole('heading', { name: 'sm200-main-3_2_0' })).toBeVisible();
  } finally {
    await server.stop();
  }
});
