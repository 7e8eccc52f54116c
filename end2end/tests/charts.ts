// Reading and clicking the console's ECharts charts through ECharts' own model and layout, so
// that a test clicks exactly the slice or bar it names.
import { type Page, expect } from '@playwright/test';

/** The rows of a share table as {label: count}. */
export async function tableCounts(page: Page, table: string): Promise<Record<string, number>> {
  const rows = await page.locator(`table.shares.${table} tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')!.textContent!.trim(), Number(tr.querySelectorAll('td')[0].textContent)]),
  );
  return Object.fromEntries(rows);
}

/** Where on the page the item `name` of series `series` is drawn: a slice's middle or a bar's. */
async function itemPoint(page: Page, chartId: string, series: number, name: string) {
  await page.locator(`#${chartId}`).scrollIntoViewIfNeeded();
  return page.evaluate(
    ({ chartId, series, name }) => {
      const element = document.getElementById(chartId)!;
      // @ts-expect-error the global ECharts the console loaded
      const chart = echarts.getInstanceByDom(element);
      const data = chart.getModel().getSeriesByIndex(series).getData();
      const layout = data.getItemLayout(data.indexOfName(name));
      const box = element.getBoundingClientRect();
      if ('startAngle' in layout) {
        const angle = (layout.startAngle + layout.endAngle) / 2;
        const radius = (layout.r0 + layout.r) / 2;
        return { x: box.left + layout.cx + radius * Math.cos(angle), y: box.top + layout.cy + radius * Math.sin(angle) };
      }
      return { x: box.left + layout.x + layout.width / 2, y: box.top + layout.y + layout.height / 2 };
    },
    { chartId, series, name },
  );
}

/**
 * Clicks an item of a chart until the page goes where `url` says: the chart may still be
 * animating into place when first asked.
 */
export async function clickItem(page: Page, chartId: string, name: string, url: RegExp, series = 0) {
  await expect(async () => {
    const point = await itemPoint(page, chartId, series, name);
    await page.mouse.click(point.x, point.y);
    await expect(page).toHaveURL(url, { timeout: 1000 });
  }).toPass();
}

/** A chart's option as ECharts holds it (after the console's last update). */
export async function chartOption(page: Page, chartId: string) {
  return page.evaluate((chartId) => {
    // @ts-expect-error the global ECharts the console loaded
    const option = echarts.getInstanceByDom(document.getElementById(chartId)).getOption();
    return JSON.parse(JSON.stringify(option));
  }, chartId);
}

/** Whether the chart has drawn something: a canvas with non-blank pixels. */
export async function chartDrawn(page: Page, chartId: string): Promise<boolean> {
  return page.locator(`#${chartId} canvas`).first().evaluate((canvas: HTMLCanvasElement) => {
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
    return false;
  });
}
