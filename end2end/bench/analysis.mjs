// `cargo xtask bench analysis` runs this against a release ota-server holding a million
// devices and a million-task batch: how long a chart takes to appear once its data is in.
// Usage: node bench/analysis.mjs ORIGIN FIRMWARE_ID JOB_ID  → one JSON line of milliseconds;
// signed in with the key in ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET (credentials.mjs).
//
// For each chart, RUNS fresh browser contexts (so ECharts, 556 kB, is fetched and compiled
// every time, as on a first visit): from the end of the response that carries the chart's data
// (its responseEnd in the page's Resource Timing) to the first animation frame in which the
// chart's canvas has a pixel that is not transparent. A visit whose chart is never drawn (the
// console shows its error instead) counts as a failure, with the console's reason.
import { chromium } from '@playwright/test';
import { signIn } from './credentials.mjs';

const [origin, firmwareId, jobId] = process.argv.slice(2);
const RUNS = 10;
// A page without its chart at all (a console without that page) is reported, not awaited.
const TIMEOUT_MS = 30_000;
const CHARTS = [
  {
    name: 'versions',
    path: `/packages/${firmwareId}?tab=analysis`,
    page: '/packages/<FirmwareId>?tab=analysis',
    chart: 'versions-chart',
    action: 'ListOTAVersionDistribution',
  },
  {
    name: 'running',
    path: '/dashboard',
    page: '/dashboard',
    chart: 'running-chart',
    action: 'ListOTARunningJobs',
  },
  {
    name: 'progress',
    path: `/packages/${firmwareId}/batches/${jobId}?tab=progress`,
    page: '/packages/<FirmwareId>/batches/<JobId>?tab=progress',
    chart: 'progress-chart',
    action: 'ListOTAJobProgress',
  },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});

// Runs in the page before its own scripts.
function instrument(selector) {
  // The console posts each call to the endpoint, its action in the x-acs-action header (or, from
  // a console before signing, in the form), so Resource Timing, which names an entry by its URL
  // only, cannot tell the calls apart; nor may the query change, since it is signed. The URL's
  // fragment is neither sent nor signed, but Chromium keeps it in the entry's name: put the
  // action there. Reading the form delays the request by a moment, before the interval measured.
  const fetch = window.fetch;
  window.fetch = async (input, init) => {
    if (input instanceof Request && input.method === 'POST' && new URL(input.url).origin === location.origin) {
      const body = await input.clone().text();
      const action = input.headers.get('x-acs-action') ?? new URLSearchParams(body).get('Action');
      if (action) {
        const url = new URL(input.url);
        url.hash = action;
        const { method, headers, signal, credentials, mode, cache, redirect } = input;
        input = new Request(url, { method, headers, body, signal, credentials, mode, cache, redirect });
      }
    }
    return fetch.call(window, input, init);
  };
  // When ECharts has run (its script's load event comes after it ran): the rest is drawing.
  document.addEventListener(
    'load',
    (event) => {
      if (event.target instanceof HTMLScriptElement && event.target.src.includes('echarts')) {
        window.__echartsLoaded = performance.now();
      }
    },
    true,
  );
  // Every frame until the chart's canvas has a pixel that is not transparent.
  const inked = (canvas) => {
    if (!canvas.width || !canvas.height) return false;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let alpha = 3; alpha < pixels.length; alpha += 4) {
      if (pixels[alpha] !== 0) return true;
    }
    return false;
  };
  const look = () => {
    const canvas = document.querySelector(selector);
    if (canvas && inked(canvas)) {
      window.__chartPainted = performance.now();
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
}

// Until the chart is painted, or the console says it could not draw it (its error beside the
// chart); null when neither came in time.
const drawnOrFailed = (id) =>
  window.__chartPainted !== undefined
    ? 'painted'
    : document.getElementById(id)?.closest('.chart-box')?.querySelector('.error')?.textContent;

// One cold visit: the wait from the data to the painted chart, and where the time went.
async function visit(chart) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await signIn(context, origin);
    await context.addInitScript(instrument, `#${chart.chart} canvas`);
    const page = await context.newPage();
    await page.goto(origin + chart.path, { waitUntil: 'commit' });
    const outcome = await page
      .waitForFunction(drawnOrFailed, chart.chart, { timeout: TIMEOUT_MS })
      .then((handle) => handle.jsonValue())
      .catch(() => null);
    if (outcome !== 'painted') {
      const shown = await page.evaluate((id) => document.getElementById(id) !== null, chart.chart);
      return { failed: outcome ?? `no chart drawn within ${TIMEOUT_MS / 1000} s`, shown };
    }
    return await page.evaluate((action) => {
      const entries = performance.getEntriesByType('resource');
      const data = entries.find((e) => new URL(e.name).hash === `#${action}`);
      if (!data) throw new Error(`no ${action} in Resource Timing`);
      return {
        wait: window.__chartPainted - data.responseEnd,
        dataAt: data.responseEnd,
        // What of the wait was still ECharts loading: 0 when it had loaded before the data came.
        echarts: Math.max(0, (window.__echartsLoaded ?? data.responseEnd) - data.responseEnd),
      };
    }, chart.action);
  } finally {
    await context.close();
  }
}

const results = [];
for (const chart of CHARTS) {
  const { name, page, action } = chart;
  const [runs, failures] = [[], []];
  let missing = null;
  for (let i = 0; i < RUNS && !missing; i++) {
    const run = await visit(chart);
    if (run.failed && !run.shown && runs.length === 0 && failures.length === 0) {
      missing = `the page shows no #${chart.chart}`;
    } else if (run.failed) {
      failures.push(run.failed);
    } else {
      runs.push(run);
    }
  }
  results.push({ name, page, selector: `#${chart.chart} canvas`, action, runs, failures, missing });
}
await browser.close();
console.log(JSON.stringify({ charts: results }));
