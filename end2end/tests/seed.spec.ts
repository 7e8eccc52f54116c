// The seed's procedure, word for word, in Japanese: from すべての環境 to an instance, its update
// packages, a package's tabs, a batch's details and information, and the data analysis, with
// every button where the seed puts it.
import { type Page, expect, test } from '@playwright/test';
import { watchConsole } from './support';

test.use({ locale: 'ja-JP' });

const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true });
const tab = (page: Page, name: string) => page.locator('nav.tabs').getByRole('link', { name, exact: true });

test('a new user follows the seed in Japanese, from すべての環境 to データ分析', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/');
  // [すべての環境] で、インスタンス ID またはインスタンス名をクリック
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('すべての環境');
  await expect(page.getByRole('navigation', { name: 'メインナビゲーション' }).getByRole('link', { name: 'すべての環境' })).toHaveAttribute('aria-current', 'page');
  const environments = page.locator('table.environments');
  await expect(environments.getByRole('columnheader', { name: 'インスタンス ID' })).toBeVisible();
  await expect(environments.getByRole('columnheader', { name: 'インスタンス名' })).toBeVisible();
  await environments.locator('tr[data-instance="iot-default"]').getByRole('link', { name: 'iot-default', exact: true }).click();

  // [更新パッケージ] タブで、更新パッケージを見つけ、[アクション] 列の [表示] をクリック
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('更新パッケージ');
  await page.getByRole('searchbox', { name: '検索' }).fill('sm200-main-3_2_0');
  const packageRow = page.locator('main table tbody tr').filter({ hasText: 'sm200-main-3_2_0' });
  await expect(page.getByRole('columnheader', { name: 'アクション' })).toBeVisible();
  await packageRow.getByRole('link', { name: '表示', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('sm200-main-3_2_0');
  for (const name of ['バッチ管理', 'デバイス一覧', 'データ分析', '更新パッケージ情報']) await expect(tab(page, name)).toBeVisible();
  await expect(tab(page, 'バッチ管理')).toHaveAttribute('aria-current', 'page');

  // [バッチ管理]: an upgrading batch offers 表示, 編集 (the policy settings) and キャンセル.
  const running = page.locator('table.batches tbody tr').filter({ hasText: 'アップグレード中' }).first();
  const jobId = (await running.getAttribute('data-job-id'))!;
  await expect(running.getByRole('link', { name: '表示', exact: true })).toBeVisible();
  await expect(running.getByRole('button', { name: `バッチ ${jobId} をキャンセル` })).toHaveText('キャンセル');
  const edit = running.getByRole('button', { name: `バッチ ${jobId} を編集` });
  await expect(edit).toHaveText('編集');
  await edit.click();
  const policy = page.getByRole('dialog', { name: '更新ポリシーの設定' });
  await expect(policy.getByLabel('プッシュレート (毎分の台数)')).toBeVisible();
  await policy.getByRole('button', { name: '戻る' }).click();
  await expect(policy).toBeHidden();

  // [表示] → [バッチの詳細] ページの [デバイスリスト] タブ
  await running.getByRole('link', { name: '表示', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`バッチの詳細 ${jobId}`);
  await expect(tab(page, 'デバイスリスト')).toHaveAttribute('aria-current', 'page');
  const states = page.locator('nav.state-tabs');
  for (const state of ['確認待ち', 'プッシュ予定', 'プッシュ済み', 'アップグレード中', '更新済み', '更新失敗', 'キャンセル済み']) {
    await expect(states).toContainText(state);
  }

  // [バッチ情報] タブ: [タグ情報] の横に [編集]
  await tab(page, 'バッチ情報').click();
  const tags = page.locator('dl.batch-info .field').filter({ hasText: 'タグ情報' });
  await expect(tags.locator('dt')).toHaveText('タグ情報');
  await expect(tags.getByRole('button', { name: 'タグ情報の編集' })).toHaveText('編集');

  // Back to the package: [デバイス一覧], [更新パッケージ情報] with ダウンロード beside the signature, [データ分析].
  await page.locator('nav.breadcrumb').getByRole('link', { name: 'sm200-main-3_2_0' }).click();
  await tab(page, 'デバイス一覧').click();
  await expect(page.locator('table.tasks tbody tr').first().getByRole('link', { name: '表示', exact: true })).toBeVisible();
  await tab(page, '更新パッケージ情報').click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('更新パッケージ情報');
  const signature = page.locator('dl.fields .field').filter({ hasText: '更新パッケージの署名' });
  await expect(signature.getByRole('link', { name: 'ダウンロード' })).toBeVisible();
  await tab(page, 'データ分析').click();
  await expect(page.locator('#outcomes-chart canvas')).toBeVisible();
  await expect(page.locator('#versions-chart canvas')).toBeVisible();
  console.expectClean();
});

test('a device opened from a batch leads back to that batch', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/packages?q=sm200-main-3_2_0');
  await link(page, 'sm200-main-3_2_0').click();
  const row = page.locator('table.batches tbody tr').filter({ has: page.locator('.state-counts li[data-state="QUEUED"]') }).first();
  const jobId = (await row.getAttribute('data-job-id'))!;
  await row.getByRole('link', { name: jobId }).click();
  const device = page.locator('table.tasks tbody tr').first().locator('td').first().getByRole('link');
  const deviceName = (await device.textContent())!.trim();
  await device.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(deviceName);
  const trail = page.locator('nav.breadcrumb');
  await expect(trail.locator('a[data-crumb="package"]')).toHaveText('sm200-main-3_2_0');
  await trail.locator('a[data-crumb="batch"]').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`バッチの詳細 ${jobId}`);

  // From the package's device list, back to that list.
  await page.locator('nav.breadcrumb').getByRole('link', { name: 'sm200-main-3_2_0' }).click();
  await tab(page, 'デバイス一覧').click();
  await page.locator('table.tasks tbody tr').first().locator('td').first().getByRole('link').click();
  await expect(page.locator('nav.breadcrumb a[data-crumb="batch"]')).toHaveCount(0);
  await page.locator('nav.breadcrumb a[data-crumb="package"]').click();
  await expect(tab(page, 'デバイス一覧')).toHaveAttribute('aria-current', 'page');
  console.expectClean();
});
