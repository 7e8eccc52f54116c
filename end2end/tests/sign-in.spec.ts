// Signing in, as an operator meets it: the console asks in place when a backend wants a
// signature, with a user's password or an access key; it offers only what the caller may do;
// credentials that end while a form is open lose nothing; signing out forgets them.
import { type Page, expect, test } from '@playwright/test';
import { apiBatch, batchRows, openPackage } from './pages';
import { CREDENTIALS_KEY, createUser, expectAccessible, privateServer, signInWithPassword, signedUrl, watchConsole } from './support';

// No credentials kept anywhere: each test signs in itself.
test.use({ storageState: { cookies: [], origins: [] } });

async function kept(page: Page, where: 'localStorage' | 'sessionStorage') {
  return page.evaluate(([storage, key]) => JSON.parse(window[storage as 'localStorage'].getItem(key) ?? '{}'), [where, CREDENTIALS_KEY]);
}

test('a user signs in with a password, works, and signs out', async ({ page }) => {
  const server = await privateServer();
  try {
    const password = createUser(server.dataDir, 'ops', 'operator');
    const console = watchConsole(page);
    await page.goto(`${server.origin}/packages`);
    const dialog = page.getByRole('dialog', { name: 'Sign in to This server' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`${server.origin}/`);
    // A wrong password is refused in the dialog, which stays open.
    await dialog.getByLabel('User name', { exact: true }).fill('ops');
    await dialog.getByLabel('Password', { exact: true }).fill('not the password');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(dialog.getByRole('alert')).toContainText('InvalidUser.Password');
    await signInWithPassword(page, 'ops', password);

    await expect(page.locator('main table tbody tr').first()).toBeVisible();
    const account = page.getByRole('group', { name: 'Account' });
    await expect(account).toContainText('ops');
    await expect(account.locator('.who')).toHaveAttribute('title', 'Signed in as ops (operator)');
    // Kept for this tab only: nothing on the device.
    expect(Object.keys(await kept(page, 'sessionStorage'))).toEqual([`${server.origin}/`]);
    expect(await kept(page, 'localStorage')).toEqual({});

    await account.getByRole('button', { name: 'Sign out' }).click();
    await expect(dialog).toBeVisible();
    expect(await kept(page, 'sessionStorage')).toEqual({});
    console.expectClean([/status of 400/]);
  } finally {
    await server.stop();
  }
});

test('an access key signs in for any backend, and is remembered on this device when asked', async ({ page, context }) => {
  const server = await privateServer();
  try {
    await page.goto(`${server.origin}/packages`);
    const dialog = page.getByRole('dialog', { name: 'Sign in to This server' });
    await dialog.getByLabel('Access key').check();
    await dialog.getByLabel('AccessKey ID').fill(server.key.AccessKeyId);
    await dialog.getByLabel('AccessKey secret').fill('wrong secret');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(dialog.getByRole('alert')).toContainText('SignatureDoesNotMatch');
    await dialog.getByLabel('AccessKey secret').fill(server.key.AccessKeySecret);
    await dialog.getByLabel('Remember on this device').check();
    await expect(dialog).toContainText(`local storage for ${server.origin}`);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('main table tbody tr').first()).toBeVisible();
    await expect(page.getByRole('group', { name: 'Account' })).toContainText('e2e-admin');
    expect(Object.keys(await kept(page, 'localStorage'))).toEqual([`${server.origin}/`]);

    // Another tab on this device starts signed in.
    const other = await context.newPage();
    await other.goto(`${server.origin}/packages`);
    await expect(other.locator('main table tbody tr').first()).toBeVisible();
    await expect(other.getByRole('dialog')).toHaveCount(0);
    await other.close();
  } finally {
    await server.stop();
  }
});

test('a read-only user is offered nothing that would change the fleet', async ({ page }) => {
  const server = await privateServer();
  try {
    const password = createUser(server.dataDir, 'viewer', 'read-only');
    await page.goto(`${server.origin}/packages`);
    await signInWithPassword(page, 'viewer', password);
    await expect(page.locator('main table tbody tr').first()).toBeVisible();
    await expect(page.getByRole('link', { name: 'New package' })).toHaveCount(0);
    await openPackage(page, server.origin);
    const running = batchRows(page).filter({ hasText: 'In progress' }).first();
    await expect(running.getByRole('link', { name: 'View' })).toBeVisible();
    await expect(running.getByRole('button')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'New batch' })).toHaveCount(0);
    await running.getByRole('link', { name: 'View' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Batch details');
    await expect(page.getByRole('button', { name: 'Edit batch' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Cancel batch' })).toHaveCount(0);
    // Who changed the batch may be read; the whole audit log is not offered.
    await expect(page.locator('header.topbar nav a', { hasText: 'Audit log' })).toHaveCount(0);
    await page.locator('nav.tabs a[data-tab="history"]').click();
    // The demo's batches were made before anyone signed in: nothing recorded yet.
    const history = page.locator('section.batch-history .panel.empty');
    await expect(history).toContainText('No changes to this batch have been recorded.');
    await page.getByLabel('Language').selectOption('ja');
    await expect(page.locator('nav.tabs a[data-tab="history"]')).toHaveText('履歴');
    await expect(history).toContainText('このバッチへの変更は記録されていません。');
  } finally {
    await server.stop();
  }
});

test('credentials that end while a form is open lose nothing: sign in again and it is saved', async ({ page }) => {
  const server = await privateServer();
  try {
    const password = createUser(server.dataDir, 'ops', 'operator');
    await page.goto(`${server.origin}/packages`);
    await signInWithPassword(page, 'ops', password);
    await openPackage(page, server.origin);
    const row = batchRows(page).filter({ hasText: 'In progress' }).first();
    const jobId = (await row.getAttribute('data-job-id'))!;
    await row.getByRole('button', { name: `Edit batch ${jobId}`, exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Update policy settings' });
    await edit.getByLabel('Push rate (devices a minute)').fill('123');

    // Meanwhile the session ends (signed out elsewhere).
    const session = (await kept(page, 'sessionStorage'))[`${server.origin}/`];
    const ended = await page.request.get(signedUrl(`${server.origin}/?Action=EndOTASession`, session));
    expect(ended.status()).toBe(200);

    await edit.getByRole('button', { name: 'Save changes' }).click();
    await signInWithPassword(page, 'ops', password);
    await expect(edit).toBeHidden();
    expect((await apiBatch(page, server.origin, jobId)).MaximumPerMinute).toBe(123);
  } finally {
    await server.stop();
  }
});

test('the sign-in dialog speaks Japanese and passes axe-core', async ({ page }) => {
  const server = await privateServer();
  try {
    await page.goto(`${server.origin}/packages`);
    const dialog = page.getByRole('dialog', { name: 'Sign in to This server' });
    await expect(dialog).toBeVisible();
    await expectAccessible(page, 'sign-in dialog', 'dialog.sign-in');
    await dialog.getByRole('button', { name: 'Not now' }).click();
    await expect(dialog).toBeHidden();
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('group', { name: 'アカウント' }).getByRole('button', { name: 'サインイン' }).click();
    const japanese = page.getByRole('dialog', { name: 'This server にサインイン' });
    await expect(japanese).toBeVisible();
    await expect(japanese.getByLabel('このデバイスに記憶する')).toBeVisible();
    await japanese.getByLabel('AccessKey').check();
    await japanese.getByLabel('AccessKey ID').fill(server.key.AccessKeyId);
    await japanese.getByLabel('AccessKey シークレット').fill(server.key.AccessKeySecret);
    await japanese.getByRole('button', { name: 'サインイン' }).click();
    await expect(japanese).toBeHidden();
    await expect(page.locator('main table tbody tr').first()).toBeVisible();
  } finally {
    await server.stop();
  }
});

test('credentials about to run out are renewed while the console is in use', async ({ page }) => {
  const server = await privateServer();
  try {
    const password = createUser(server.dataDir, 'ops', 'operator');
    await page.goto(`${server.origin}/packages`);
    await signInWithPassword(page, 'ops', password);
    await expect(page.locator('main table tbody tr').first()).toBeVisible();
    const endpoint = `${server.origin}/`;
    const first = (await kept(page, 'sessionStorage'))[endpoint];
    // Five minutes left: under the ten at which the console renews before its next call.
    const soon = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await page.evaluate(([key, url, at]) => {
      const all = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      all[url].Expiration = at;
      sessionStorage.setItem(key, JSON.stringify(all));
    }, [CREDENTIALS_KEY, endpoint, soon]);
    await page.getByRole('link', { name: 'Modules' }).click();
    await expect.poll(async () => (await kept(page, 'sessionStorage'))[endpoint].AccessKeyId).not.toBe(first.AccessKeyId);
    const renewed = (await kept(page, 'sessionStorage'))[endpoint];
    expect(renewed.UserName).toBe('ops');
    expect(Date.parse(renewed.Expiration) - Date.now()).toBeGreaterThan(50 * 60_000);
    await expect(page.locator('main table tbody tr').first()).toBeVisible();
    await expect(page.getByRole('dialog')).toHaveCount(0);
  } finally {
    await server.stop();
  }
});
