// The audit log as an operator and an admin meet it: what one user changed, and what was
// refused, is listed for the admin with who did it; a batch's History tab tells anyone who may
// read the batch who changed it and when (a read-only user's: sign-in.spec.ts); both pages speak
// Japanese and pass axe-core.
import { type Page, expect, test } from '@playwright/test';
import { batchRows, openPackage } from './pages';
import { createUser, expectAccessible, privateServer, signInWithPassword } from './support';

// No credentials kept anywhere: each user signs in.
test.use({ storageState: { cookies: [], origins: [] } });

const auditLink = (page: Page) => page.locator('header.topbar nav a', { hasText: 'Audit log' });

test('an admin reads who changed a batch, and what was refused, in the audit log and the batch history', async ({ page }) => {
  const server = await privateServer();
  try {
    const opsPassword = createUser(server.dataDir, 'ops', 'operator');
    const bossPassword = createUser(server.dataDir, 'boss', 'admin');

    // An operator changes a running batch's push rate; the audit log is not offered to them.
    await page.goto(`${server.origin}/packages`);
    await signInWithPassword(page, 'ops', opsPassword);
    await openPackage(page, server.origin);
    const row = batchRows(page).filter({ hasText: 'In progress' }).first();
    const jobId = (await row.getAttribute('data-job-id'))!;
    await row.getByRole('button', { name: `Edit batch ${jobId}`, exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Update policy settings' });
    await edit.getByLabel('Push rate (devices a minute)').fill('321');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(edit).toBeHidden();
    await expect(auditLink(page)).toHaveCount(0);

    // The batch's History tab says who edited it.
    await row.getByRole('link', { name: jobId }).click();
    await page.locator('nav.tabs a[data-tab="history"]').click();
    const edited = page.locator('table.job-history tbody tr[data-action="UpdateOTAJob"]');
    await expect(edited).toHaveCount(1);
    await expect(edited).toContainText('ops (user)');
    await expect(edited).toContainText('Edited');
    await edited.getByText('Details').click();
    await expect(edited.locator('dl.parameters')).toContainText('MaximumPerMinute');
    await expect(edited.locator('dl.parameters')).toContainText('321');
    await expectAccessible(page, 'batch history');

    // Going to the log anyway is refused, and the refusal is itself recorded.
    await page.goto(`${server.origin}/audit`);
    await expect(page.getByRole('alert')).toContainText('Forbidden.RAM');

    // An admin sees both, with who did them.
    await page.getByRole('group', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword(page, 'boss', bossPassword);
    await page.goto(`${server.origin}/packages`);
    await auditLink(page).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
    const events = page.locator('table.audit-events tbody tr');
    const update = events.filter({ hasText: 'UpdateOTAJob' });
    await expect(update).toHaveCount(1);
    await expect(update).toContainText('ops (user)');
    await expect(update.locator('td').nth(3)).toHaveText(`${jobId}Batch`);
    await expect(update).toHaveAttribute('data-outcome', 'success');
    // Where the call came from: the browser, on this machine.
    await expect(update.locator('td').nth(5)).toHaveText('127.0.0.1');
    const refused = events.filter({ hasText: 'ListOTAAuditEvents' });
    await expect(refused).toHaveAttribute('data-outcome', 'refused');
    await expect(refused).toContainText('Refused · Forbidden.RAM');
    await expect(refused).toContainText('ops (user)');
    await expect(events.filter({ hasText: 'AssumeOTASession' })).toHaveCount(2);

    // Filters narrow the list and live in the URL.
    await page.getByLabel('User or AccessKey ID').fill('ops');
    await page.getByLabel('Result').selectOption('Refused');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/who=ops&.*outcome=Refused/);
    await expect(events).toHaveCount(1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Target ID').fill(jobId);
    await page.getByLabel('Target ID').press('Enter');
    await expect(events).toHaveCount(1);
    await events.first().getByText('Details').click();
    await expect(events.first().locator('dl.parameters')).toContainText('321');
    await expectAccessible(page, 'audit log');

    await page.getByLabel('Language').selectOption('ja');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('監査ログ');
    await expect(page.locator('table.audit-events thead')).toContainText('実行者');
    await expect(events.first()).toContainText('ops (ユーザー)');
    await expect(events.first().locator('td').nth(3)).toContainText('バッチ');
    await expectAccessible(page, 'audit log in Japanese');
  } finally {
    await server.stop();
  }
});
