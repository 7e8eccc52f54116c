// Nothing reaches in from a web page: a page on another origin that the operator happens to
// visit tries the API every way a browser allows without the operator's key, and changes
// nothing; a request naming a foreign host (DNS rebinding) is refused outright.
import { expect, test } from '@playwright/test';
import { createServer, request } from 'node:http';
import { freePort, keyOf, privateServer, relay, remember, signedGet, staticHost, watchConsole } from './support';

/** A page on its own origin that fires `html` at the server. */
async function hostilePage(html: string) {
  const port = await freePort();
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => { server.close(() => done()); server.closeAllConnections(); }),
  };
}

test('a page on another origin cannot change anything, by GET, form POST or fetch', async ({ page }) => {
  const server = await privateServer();
  const listed = (await (await signedGet(page, `${server.origin}/?Action=ListOTAFirmware&PageSize=100`)).json()).FirmwareInfo.SimpleFirmwareInfo;
  const firmwareId = listed.find((f: { FirmwareName: string }) => f.FirmwareName === 'sm200-main-3_2_0').FirmwareId;
  const jobs = (await (await signedGet(page, `${server.origin}/?Action=ListOTAJobByFirmware&FirmwareId=${firmwareId}`)).json()).Data.SimpleOTAJobInfo;
  const running = jobs.find((j: { JobStatus: string }) => j.JobStatus === 'IN_PROGRESS').JobId;
  const api = `${server.origin}/`;
  const hostile = await hostilePage(`<!doctype html><title>cute cats</title>
    <img src="${api}?Action=DeleteOTAFirmware&FirmwareId=${firmwareId}">
    <iframe name="sink"></iframe>
    <form id="f" method="post" action="${api}" target="sink">
      <input name="Action" value="CancelOTATaskByJob"><input name="JobId" value="${running}">
      <input name="CancelQueuedTask" value="true"><input name="CancelNotifiedTask" value="true">
    </form>
    <script>
      document.getElementById('f').submit();
      fetch('${api}', { method: 'POST', mode: 'no-cors', body: new URLSearchParams({ Action: 'CancelOTAStrategyByJob', JobId: '${running}' }) });
      fetch('${api}?Action=UpdateOTAJob&JobId=${running}&MaximumPerMinute=10000', { headers: { 'x-acs-action': 'UpdateOTAJob' } })
        .catch(() => { document.title = 'blocked'; });
    </script>`);
  try {
    const answers: number[] = [];
    const sent: string[] = [];
    page.on('request', (r) => { if (r.url().startsWith(api)) sent.push(`${r.method()} ${new URL(r.url()).searchParams.get('Action') ?? ''}`); });
    page.on('response', (response) => { if (response.url().startsWith(api)) answers.push(response.status()); });
    await page.goto(hostile.url);
    await expect(page).toHaveTitle('blocked');
    // The image's GET, the form's POST and the simple fetch's POST went out; the POSTs were
    // answered 400 (unsigned; the image's answer the browser withholds from the page). The fetch
    // with an API header never left: its preflight found no CORS for this origin.
    await expect.poll(() => answers.length).toBeGreaterThanOrEqual(2);
    expect(sent).toEqual(expect.arrayContaining(['GET DeleteOTAFirmware', 'POST ']));
    expect(answers.every((status) => status === 400), String(answers)).toBe(true);

    const still = await (await signedGet(page, `${server.origin}/?Action=QueryOTAFirmware&FirmwareId=${firmwareId}`)).json();
    expect(still.Success).toBe(true);
    const job = (await (await signedGet(page, `${server.origin}/?Action=QueryOTAJob&JobId=${running}`)).json()).Data;
    expect(job.JobStatus).toBe('IN_PROGRESS');
    expect(job.MaximumPerMinute).not.toBe(10000);
  } finally {
    await hostile.close();
    await server.stop();
  }
});

test('a request naming a host the server does not serve is refused (DNS rebinding)', async () => {
  const server = await privateServer();
  try {
    const port = new URL(server.origin).port;
    const status = await new Promise<number>((done, fail) => {
      const call = request({ host: '127.0.0.1', port, path: '/?Action=ListOTAFirmware', headers: { host: `rebound.example:${port}` } }, (answer) => {
        answer.resume();
        done(answer.statusCode ?? 0);
      });
      call.on('error', fail);
      call.end();
    });
    expect(status).toBe(421);
  } finally {
    await server.stop();
  }
});

test('the console is served with a Content-Security-Policy and is never framed by another site', async ({ page }) => {
  const console = watchConsole(page);
  const answer = await page.goto('/packages');
  const headers = answer!.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(headers['x-frame-options']).toBe('DENY');
  // The whole console runs under it: charts (ECharts, checked by its integrity) included.
  await expect(page.locator('main table tbody tr').first()).toBeVisible();
  await page.goto('/dashboard');
  await expect(page.locator('canvas').first()).toBeVisible();
  console.expectClean();
});

test('a path that looks like another host never becomes the base of a statically hosted console', async ({ page, baseURL }) => {
  const host = await staticHost('/', baseURL!);
  await remember(page, `${host.origin}/`, keyOf(baseURL!));
  try {
    const foreign: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('http://127.0.0.1')) foreign.push(r.url()); });
    await page.goto(`${host.origin}//evil.example/packages`);
    expect(await page.evaluate(() => document.baseURI)).toBe(`${host.origin}/evil.example/`);
    expect(foreign).toEqual([]);
  } finally {
    await host.close();
  }
});

test('a console on another origin reaches a backend that answers no browsers, through the relay', async ({ page }) => {
  // The server allows no other origin, as Alibaba Cloud's endpoints do not.
  const server = await privateServer();
  const config: { environments: object[] } = { environments: [] };
  const console = await staticHost('/', server.origin, config);
  const forwarder = await relay(`${server.origin}/`, console.origin);
  // ACS3 signs the host: the console signs for the server's, which the relay sends.
  config.environments.push({ id: 'relayed', name: 'Through the relay', endpoint: `${forwarder.origin}/`, signedHost: new URL(server.origin).host });
  try {
    await remember(page, `${forwarder.origin}/`, server.key);
    await page.goto(`${console.origin}/packages`);
    await expect(page.locator('main table tbody tr').first()).toBeVisible();
    await expect(page.getByRole('group', { name: 'Account' })).toContainText('e2e-admin');
    // Straight to the server, the same page is refused by the browser: the relay is what makes it work.
    const direct = await page.evaluate(
      (url) => fetch(url, { method: 'POST', body: 'Action=ListOTAFirmware' }).then(() => 'answered', () => 'blocked'),
      `${server.origin}/`,
    );
    expect(direct).toBe('blocked');
  } finally {
    await forwarder.stop();
    await console.close();
    await server.stop();
  }
});
