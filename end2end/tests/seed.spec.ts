// The seed's procedure, word for word, in Japanese and in Chinese: from すべての環境 (所有环境) to an
// instance, its update packages, a package's tabs, a batch's details and information, and the data
// analysis, with every button where the seed puts it. One walk, said in each language's words.
import { type Page, expect, test } from '@playwright/test';
import { watchConsole } from './support';

// The tests after the walk speak Japanese.
test.use({ locale: 'ja-JP' });

const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true });
const tab = (page: Page, name: string) => page.locator('nav.tabs').getByRole('link', { name, exact: true });

/** The catalogue's words (crates/i18n) that the walk reads, clicks or names. */
interface Words {
  /** The language, in English, for the test's title. */
  language: string;
  /** The browser's language, which the console starts in. */
  locale: string;
  allEnvironments: string;
  mainNavigation: string;
  instanceId: string;
  instanceName: string;
  updatePackages: string;
  search: string;
  actions: string;
  view: string;
  batchManagement: string;
  packageDeviceList: string;
  dataAnalysis: string;
  packageInformation: string;
  /** A batch's state while it runs. */
  upgrading: string;
  cancelBatch: (jobId: string) => string;
  cancel: string;
  editBatch: (jobId: string) => string;
  edit: string;
  policySettings: string;
  pushRate: string;
  goBack: string;
  batchDetails: string;
  batchDeviceList: string;
  /** The task states, in the seed's order. */
  states: string[];
  batchInformation: string;
  tagInformation: string;
  editTagInformation: string;
  packageSignature: string;
  download: string;
}

const words: { ja: Words; zh: Words } = {
  ja: {
    language: 'Japanese',
    locale: 'ja-JP',
    allEnvironments: 'すべての環境',
    mainNavigation: 'メインナビゲーション',
    instanceId: 'インスタンス ID',
    instanceName: 'インスタンス名',
    updatePackages: '更新パッケージ',
    search: '検索',
    actions: 'アクション',
    view: '表示',
    batchManagement: 'バッチ管理',
    packageDeviceList: 'デバイス一覧',
    dataAnalysis: 'データ分析',
    packageInformation: '更新パッケージ情報',
    upgrading: 'アップグレード中',
    cancelBatch: (jobId) => `バッチ ${jobId} をキャンセル`,
    cancel: 'キャンセル',
    editBatch: (jobId) => `バッチ ${jobId} を編集`,
    edit: '編集',
    policySettings: '更新ポリシーの設定',
    pushRate: 'プッシュレート (毎分の台数)',
    goBack: '戻る',
    batchDetails: 'バッチの詳細',
    batchDeviceList: 'デバイスリスト',
    states: ['確認待ち', 'プッシュ予定', 'プッシュ済み', 'アップグレード中', '更新済み', '更新失敗', 'キャンセル済み'],
    batchInformation: 'バッチ情報',
    tagInformation: 'タグ情報',
    editTagInformation: 'タグ情報の編集',
    packageSignature: '更新パッケージの署名',
    download: 'ダウンロード',
  },
  zh: {
    language: 'Chinese',
    locale: 'zh-CN',
    allEnvironments: '所有环境',
    mainNavigation: '主导航',
    instanceId: '实例 ID',
    instanceName: '实例名称',
    updatePackages: '升级包',
    search: '搜索',
    actions: '操作',
    view: '查看',
    batchManagement: '批次管理',
    packageDeviceList: '设备列表',
    dataAnalysis: '数据分析',
    packageInformation: '升级包信息',
    upgrading: '升级中',
    cancelBatch: (jobId) => `取消批次 ${jobId}`,
    cancel: '取消',
    editBatch: (jobId) => `编辑批次 ${jobId}`,
    edit: '编辑',
    policySettings: '升级策略配置',
    pushRate: '升级包推送速率（每分钟设备数）',
    goBack: '返回',
    batchDetails: '批次详情',
    batchDeviceList: '设备列表',
    states: ['待确认', '待推送', '已推送', '升级中', '升级成功', '升级失败', '已取消'],
    batchInformation: '批次信息',
    tagInformation: '标签信息',
    editTagInformation: '编辑标签信息',
    packageSignature: '升级包签名',
    download: '下载',
  },
};

for (const w of [words.ja, words.zh]) {
  test.describe(`in ${w.language}`, () => {
    test.use({ locale: w.locale });

    test(`a new user follows the seed in ${w.language}, from ${w.allEnvironments} to ${w.dataAnalysis}`, async ({ page }) => {
      const console = watchConsole(page);
      await page.goto('/');
      // [すべての環境] で、インスタンス ID またはインスタンス名をクリック
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.allEnvironments);
      await expect(page.getByRole('navigation', { name: w.mainNavigation }).getByRole('link', { name: w.allEnvironments })).toHaveAttribute('aria-current', 'page');
      const environments = page.locator('table.environments');
      await expect(environments.getByRole('columnheader', { name: w.instanceId })).toBeVisible();
      await expect(environments.getByRole('columnheader', { name: w.instanceName })).toBeVisible();
      await environments.locator('tr[data-instance="iot-default"]').getByRole('link', { name: 'iot-default', exact: true }).click();

      // [更新パッケージ] タブで、更新パッケージを見つけ、[アクション] 列の [表示] をクリック
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.updatePackages);
      await page.getByRole('searchbox', { name: w.search }).fill('sm200-main-3_2_0');
      const packageRow = page.locator('main table tbody tr').filter({ hasText: 'sm200-main-3_2_0' });
      await expect(page.getByRole('columnheader', { name: w.actions })).toBeVisible();
      await packageRow.getByRole('link', { name: w.view, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('sm200-main-3_2_0');
      for (const name of [w.batchManagement, w.packageDeviceList, w.dataAnalysis, w.packageInformation]) await expect(tab(page, name)).toBeVisible();
      await expect(tab(page, w.batchManagement)).toHaveAttribute('aria-current', 'page');

      // [バッチ管理]: an upgrading batch offers 表示, 編集 (the policy settings) and キャンセル.
      const running = page.locator('table.batches tbody tr').filter({ hasText: w.upgrading }).first();
      const jobId = (await running.getAttribute('data-job-id'))!;
      await expect(running.getByRole('link', { name: w.view, exact: true })).toBeVisible();
      await expect(running.getByRole('button', { name: w.cancelBatch(jobId) })).toHaveText(w.cancel);
      const edit = running.getByRole('button', { name: w.editBatch(jobId) });
      await expect(edit).toHaveText(w.edit);
      await edit.click();
      const policy = page.getByRole('dialog', { name: w.policySettings });
      await expect(policy.getByLabel(w.pushRate)).toBeVisible();
      await policy.getByRole('button', { name: w.goBack }).click();
      await expect(policy).toBeHidden();

      // [表示] → [バッチの詳細] ページの [デバイスリスト] タブ
      await running.getByRole('link', { name: w.view, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${w.batchDetails} ${jobId}`);
      await expect(tab(page, w.batchDeviceList)).toHaveAttribute('aria-current', 'page');
      const states = page.locator('nav.state-tabs');
      for (const state of w.states) {
        await expect(states).toContainText(state);
      }

      // [バッチ情報] タブ: [タグ情報] の横に [編集]
      await tab(page, w.batchInformation).click();
      const tags = page.locator('dl.batch-info .field').filter({ hasText: w.tagInformation });
      await expect(tags.locator('dt')).toHaveText(w.tagInformation);
      await expect(tags.getByRole('button', { name: w.editTagInformation })).toHaveText(w.edit);

      // Back to the package: [デバイス一覧], [更新パッケージ情報] with ダウンロード beside the signature, [データ分析].
      await page.locator('nav.breadcrumb').getByRole('link', { name: 'sm200-main-3_2_0' }).click();
      await tab(page, w.packageDeviceList).click();
      await expect(page.locator('table.tasks tbody tr').first().getByRole('link', { name: w.view, exact: true })).toBeVisible();
      await tab(page, w.packageInformation).click();
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(w.packageInformation);
      const signature = page.locator('dl.fields .field').filter({ hasText: w.packageSignature });
      await expect(signature.getByRole('link', { name: w.download })).toBeVisible();
      await tab(page, w.dataAnalysis).click();
      await expect(page.locator('#outcomes-chart canvas')).toBeVisible();
      await expect(page.locator('#versions-chart canvas')).toBeVisible();
      console.expectClean();
    });
  });
}

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
