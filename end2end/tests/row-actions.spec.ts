// Where the seed puts them: Edit and Cancel in a running batch's row of the batch list, and
// Edit beside the batch information's tags. Each dialog is whole inside a 1280×800 window and
// does what it says, as the API then shows.
import { type Locator, type Page, expect, test } from '@playwright/test';
import { apiBatch as batch, apiCounts, batchRows, openBatchWith, openPackage, tagsOf } from './pages';
import { privateServer, watchConsole } from './support';

test.use({ viewport: { width: 1280, height: 800 } });

/** The dialog is centred in the window, within it, and nothing in it is cut off. */
async function expectWhole(page: Page, dialog: Locator) {
  await expect(dialog).toBeVisible();
  const window = page.viewportSize()!;
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(window.width);
  expect(box.y + box.height).toBeLessThanOrEqual(window.height);
  expect(Math.abs(box.x + box.width / 2 - window.width / 2), 'centred').toBeLessThan(2);
  const cut = await dialog.evaluate((element) => {
    const outer = element.getBoundingClientRect();
    return [...element.querySelectorAll('h2, p, li, label, button, fieldset')]
      .filter((part) => part.textContent?.trim())
      .filter((part) => {
        const inner = part.getBoundingClientRect();
        const overflows = part.scrollWidth > part.clientWidth + 1 && getComputedStyle(part).display !== 'inline';
        return overflows || inner.left < outer.left - 1 || inner.right > outer.right + 1;
      })
      .map((part) => part.outerHTML.slice(0, 80));
  });
  expect(cut).toEqual([]);
}

test("a running batch's row offers Edit: the update policy, whole on screen, changes the batch", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await openPackage(page, server.origin);
    const row = batchRows(page).filter({ hasText: 'In progress' }).first();
    const jobId = (await row.getAttribute('data-job-id'))!;
    const before = await batch(page, server.origin, jobId);
    await row.getByRole('button', { name: `Edit batch ${jobId}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Update policy settings' });
    const rate = dialog.getByLabel('Push rate (devices a minute)');
    await expect(rate).toHaveValue(String(before.MaximumPerMinute));
    await expectWhole(page, dialog);
    await rate.fill('321');
    await dialog.getByRole('button', { name: 'Add a tag' }).click();
    const n = await dialog.locator('table.tag-rows tr').count();
    await dialog.getByLabel(`Key of tag ${n}`).fill('rowedit');
    await dialog.getByLabel(`Value of tag ${n}`).fill('east');
    await expectWhole(page, dialog);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    const after = await batch(page, server.origin, jobId);
    expect(after.MaximumPerMinute).toBe(321);
    expect(tagsOf(after)).toEqual({ ...tagsOf(before), rowedit: 'east' });
    // The row is still there and still offers its actions.
    await expect(page.locator(`tr[data-job-id="${jobId}"]`).getByRole('button', { name: `Edit batch ${jobId}` })).toHaveText('Edit');
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test("a running batch's row offers Cancel: the whole explanation, with the API's counts, then the batch stops", async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await openPackage(page, server.origin);
    const row = batchRows(page)
      .filter({ hasText: 'static' })
      .filter({ hasText: 'In progress' })
      .filter({ has: page.locator('.state-counts li[data-state="QUEUED"]') })
      .first();
    const jobId = (await row.getAttribute('data-job-id'))!;
    const before = await apiCounts(page, jobId, server.origin);
    await row.getByRole('button', { name: `Cancel batch ${jobId}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel batch' });
    await expect(dialog).toContainText(
      `cancels its devices that are Pending confirmation (${before.CONFIRM}), Pending push (${before.QUEUED}), Pushed (${before.NOTIFIED}).`,
    );
    await expect(dialog).toContainText(`Devices already upgrading (${before.IN_PROGRESS}) finish their update.`);
    await expectWhole(page, dialog);
    await dialog.getByRole('button', { name: 'Cancel batch' }).click();
    await expect(dialog).toBeHidden();
    const stopped = before.CONFIRM + before.QUEUED + before.NOTIFIED;
    await expect.poll(() => apiCounts(page, jobId, server.origin)).toEqual({
      ...before,
      CONFIRM: 0,
      QUEUED: 0,
      NOTIFIED: 0,
      CANCELED: before.CANCELED + stopped,
    });
    console.expectClean();
  } finally {
    await server.stop();
  }
});

test('Edit beside the tag information changes the tags alone, whole on screen', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    const jobId = await openBatchWith(page, 'QUEUED', 'sm200-main-3_2_0', server.origin);
    const before = await batch(page, server.origin, jobId);
    await page.locator('nav.tabs a[data-tab="info"]').click();
    const tags = page.locator('dl.batch-info .field').filter({ hasText: 'Tag information' });
    await tags.getByRole('button', { name: 'Edit tag information' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit tag information' });
    await expect(dialog.locator('table.tag-rows')).toBeVisible();
    // Only the tags: the push rate is not offered here.
    await expect(dialog.getByLabel('Push rate (devices a minute)')).toHaveCount(0);
    await expectWhole(page, dialog);
    await dialog.getByRole('button', { name: 'Add a tag' }).click();
    const n = await dialog.locator('table.tag-rows tr').count();
    await dialog.getByLabel(`Key of tag ${n}`).fill('tagedit');
    await dialog.getByLabel(`Value of tag ${n}`).fill('kobe');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    await expect(tags).toContainText('tagedit=kobe');
    const after = await batch(page, server.origin, jobId);
    expect(tagsOf(after)).toEqual({ ...tagsOf(before), tagedit: 'kobe' });
    expect(after.MaximumPerMinute).toBe(before.MaximumPerMinute);
    console.expectClean();
  } finally {
    await server.stop();
  }
});
