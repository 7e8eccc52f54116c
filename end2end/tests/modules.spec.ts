// A product's modules: listed, added, changed and deleted from the browser; the backend's
// refusals (a taken name, a module still in use) are shown where they belong.
import { expect, test } from '@playwright/test';
import { privateServer, signedGet, watchConsole } from './support';

const moduleRow = (page: import('@playwright/test').Page, name: string) => page.locator(`table.modules tr[data-module="${name}"]`);

test('a module is added, changed and deleted; a taken name and a module in use are refused', async ({ page }) => {
  const server = await privateServer();
  await server.remember(page);
  try {
    const console = watchConsole(page);
    await page.goto(`${server.origin}/packages`);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Modules' }).click();
    await page.getByLabel('Product').selectOption('a1SMtr200Qx');
    await expect(moduleRow(page, 'default')).toBeVisible();
    await expect(moduleRow(page, 'default').getByRole('button')).toHaveCount(0);
    await expect(moduleRow(page, 'zigbee')).toBeVisible();

    // Checked as typed, then added.
    const add = page.locator('form.add-module');
    await add.getByLabel('Module name').fill('mcu module');
    await expect(page.locator('#module-name-error')).toHaveText('“ ” is not allowed here.');
    await add.getByLabel('Module name').fill('mcu');
    await add.getByLabel('Alias').fill('main_mcu');
    await page.getByRole('button', { name: 'Add a module' }).click();
    await expect(moduleRow(page, 'mcu')).toContainText('main_mcu');
    const listed = (await (await signedGet(page, `${server.origin}/?Action=ListOTAModuleByProduct&ProductKey=a1SMtr200Qx`)).json()).Data;
    expect(listed.map((m: { ModuleName: string }) => m.ModuleName)).toContain('mcu');

    // The same name again: the backend's refusal shows beside the name.
    await add.getByLabel('Module name').fill('mcu');
    await page.getByRole('button', { name: 'Add a module' }).click();
    await expect(page.locator('#module-name-error')).toContainText('mcu');

    // Its alias and description change.
    await page.getByRole('button', { name: 'Edit mcu' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Description').fill('Metering microcontroller');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    await expect(moduleRow(page, 'mcu')).toContainText('Metering microcontroller');

    // A module with packages cannot go; an unused one can.
    await page.getByRole('button', { name: 'Delete zigbee' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(moduleRow(page, 'zigbee').getByRole('alert')).not.toBeEmpty();
    await page.getByRole('button', { name: 'Delete mcu' }).click();
    await expect(page.getByRole('dialog')).toContainText('Delete the module mcu?');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(moduleRow(page, 'mcu')).toHaveCount(0);
    console.expectClean([/status of 409/]);
  } finally {
    await server.stop();
  }
});
