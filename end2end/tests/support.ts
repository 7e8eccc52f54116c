// Helpers shared by the specs: a private ota-server for tests that stop or move it, and a
// watch on the browser console so that no test passes while the app logs errors.
import AxeBuilder from '@axe-core/playwright';
import { type Page, expect } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const serverBin = resolve(__dirname, '..', process.env.OTA_SERVER_BIN ?? '../target/debug/ota-server');
const distDir = resolve(__dirname, '../../dist');

/** An access key pair, as `ota-server access-key create --json` prints it. */
export interface AccessKey {
  AccessKeyId: string;
  AccessKeySecret: string;
  /** With temporary credentials (a user's sign-in). */
  SecurityToken?: string;
}

/** Where the console keeps credentials (src/api/credentials.rs). */
export const CREDENTIALS_KEY = 'ota-console.credentials';

/** The shared server's origin (playwright.config.ts starts it). */
export const sharedOrigin = `http://127.0.0.1:${Number(process.env.OTA_E2E_PORT ?? 18080)}`;

/** Every server's admin key, by origin: the shared server's from playwright.config.ts. */
const keys = new Map<string, AccessKey>();

/** The admin key of the server at `origin`. */
export function keyOf(origin: string): AccessKey {
  const key = keys.get(origin) ?? (origin === sharedOrigin && process.env.OTA_E2E_KEY ? JSON.parse(process.env.OTA_E2E_KEY) : undefined);
  if (!key) throw new Error(`no access key known for ${origin}`);
  return key;
}

/** A new access key in the database under `dataDir`, made with the CLI as an operator would. */
export function createKey(dataDir: string, policy = 'admin', name = `e2e-${policy}`): AccessKey {
  const out = execFileSync(serverBin, ['access-key', 'create', '--name', name, '--policy', policy, '--data-dir', dataDir, '--json']);
  return JSON.parse(out.toString());
}

/** A new user in the database under `dataDir`; answers the password. */
export function createUser(dataDir: string, name: string, policy: string): string {
  const password = `pw-${randomUUID()}`;
  execFileSync(serverBin, ['user', 'create', name, '--policy', policy, '--password-stdin', '--data-dir', dataDir], { input: `${password}\n` });
  return password;
}

/** Alibaba's percent-encoding for signatures: everything but A–Z a–z 0–9 - _ . ~ */
function pct(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `url` (an API call, `/?Action=…`) with a v1 signature (GET) by `key` added to its query. */
export function signedUrl(url: string, key: AccessKey): string {
  const parsed = new URL(url);
  const pairs: [string, string][] = [...parsed.searchParams.entries()];
  pairs.push(
    ['AccessKeyId', key.AccessKeyId], ['SignatureMethod', 'HMAC-SHA1'], ['SignatureVersion', '1.0'],
    ['SignatureNonce', randomUUID()], ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
  );
  if (key.SecurityToken) pairs.push(['SecurityToken', key.SecurityToken]);
  const sorted = [...pairs].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const canonical = sorted.map(([n, v]) => `${pct(n)}=${pct(v)}`).join('&');
  const toSign = `GET&${pct('/')}&${pct(canonical)}`;
  pairs.push(['Signature', createHmac('sha1', `${key.AccessKeySecret}&`).update(toSign).digest('base64')]);
  parsed.search = pairs.map(([n, v]) => `${pct(n)}=${pct(v)}`).join('&');
  return parsed.href;
}

/** A signed GET of an API call, relative to the shared server or on any server this suite started. */
export async function signedGet(page: Page, url: string) {
  const absolute = new URL(url, sharedOrigin);
  return page.request.get(signedUrl(absolute.href, keyOf(absolute.origin)));
}

/** Makes the console in `page` start signed in to the backend at `endpoint` with `key`. */
export async function remember(page: Page, endpoint: string, key: AccessKey) {
  await page.addInitScript(([storageKey, at, id, secret]) => {
    const all = JSON.parse(window.localStorage.getItem(storageKey) ?? '{}');
    all[at] = { Kind: 'AccessKey', AccessKeyId: id, AccessKeySecret: secret };
    window.localStorage.setItem(storageKey, JSON.stringify(all));
  }, [CREDENTIALS_KEY, endpoint, key.AccessKeyId, key.AccessKeySecret]);
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

export interface PrivateServer {
  origin: string;
  dataDir: string;
  /** Its admin access key. */
  key: AccessKey;
  /** Makes the console in `page` start signed in to this server with its admin key. */
  remember(page: Page): Promise<void>;
  /** Its MQTT broker, as host:port. */
  mqtt: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Its own ota-server with its own demo database, which the test may stop and start again. */
export async function privateServer(
  options: { consolePath?: string; plain?: boolean; corsOrigin?: string; instances?: string[] } = {},
): Promise<PrivateServer> {
  const port = await freePort();
  const mqtt = `127.0.0.1:${await freePort()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ota-e2e-private-'));
  const origin = `http://127.0.0.1:${port}`;
  const key = createKey(dataDir);
  keys.set(origin, key);
  let child: ChildProcess | undefined;
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--mqtt-listen', mqtt, '--data-dir', dataDir, '--console-dir', distDir, '--seed-demo'];
  if (options.consolePath) args.push('--console-path', options.consolePath);
  if (options.plain) args.push('--plain');
  if (options.corsOrigin) args.push('--cors-origin', options.corsOrigin);
  for (const instance of options.instances ?? []) args.push('--instance', instance);
  const server: PrivateServer = {
    origin,
    dataDir,
    key,
    remember: (page) => remember(page, `${origin}/`, key),
    mqtt,
    async start() {
      child = spawn(serverBin, args, { stdio: 'ignore' });
      await expect
        .poll(async () => (await fetch(`${origin}/healthz`).catch(() => undefined))?.status, { timeout: 20_000 })
        .toBe(200);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((done) => {
        running.once('exit', () => done());
        running.kill('SIGTERM');
      });
    },
  };
  await server.start();
  return server;
}

/** Simulated devices (`ota-server simulate`) of `product` against `server`, quick and reliable. */
export function simulate(server: PrivateServer, product: string, devices: number): { stop(): Promise<void> } {
  const args = [
    'simulate', '--devices', String(devices), '--api', `${server.origin}/`, '--mqtt', server.mqtt,
    '--product', product, '--time-scale', '0.05', '--absent', '0', '--churn', '0', '--ramp-up', '1',
    '--fail-download', '0', '--fail-verify', '0', '--fail-write', '0', '--fail-other', '0',
    '--wrong-version', '0', '--silent', '0',
  ];
  const env = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: server.key.AccessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: server.key.AccessKeySecret };
  const child = spawn(serverBin, args, { stdio: 'ignore', env });
  return {
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Collects what the page reports as errors; `allow` lists patterns a test expects. */
export function watchConsole(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()} (${message.location().url})`);
  });
  return {
    expectClean(allow: RegExp[] = []) {
      expect(errors.filter((e) => !allow.some((pattern) => pattern.test(e)))).toEqual([]);
    },
  };
}

export interface StaticHost {
  origin: string;
  close(): Promise<void>;
}

/**
 * dist/ as any static host or CDN would serve it: the files as built (no <base> fixed by
 * ota-server) under `prefix`, index.html for unknown paths there, and every other request
 * passed on to `backend` (and GETs that name an `Action`, such as the event stream), so that
 * the page's own origin still answers the API. `config`
 * replaces dist/config.json.
 */
export async function staticHost(prefix: string, backend: string, config?: object): Promise<StaticHost> {
  const { createServer: createHttpServer, request } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const types: Record<string, string> = {
    '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
    '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
  };
  const server = createHttpServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (req.method === 'GET' && path.startsWith(prefix)) {
      const name = path.slice(prefix.length);
      if (name === 'config.json' && config) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
        return;
      }
      const isFile = name.split('/').pop()?.includes('.') ?? false;
      const file = join(distDir, isFile ? name : 'index.html');
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    // API calls go on to the backend (the event stream is a GET); other files are not here.
    if (req.method === 'GET' && !new URL(req.url ?? '/', 'http://host').searchParams.has('Action')) {
      res.writeHead(404).end();
      return;
    }
    const upstream = request(`${backend}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        // The browser keeps connections alive; closing waits for them otherwise.
        server.closeAllConnections();
      }),
  };
}

/** Answers the sign-in dialog with a user's name and password. */
export async function signInWithPassword(page: Page, user: string, password: string) {
  const dialog = page.getByRole('dialog', { name: 'Sign in to This server' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('User name and password').check();
  await dialog.getByLabel('User name', { exact: true }).fill(user);
  await dialog.getByLabel('Password', { exact: true }).fill(password);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toBeHidden();
}

/** `ota-server relay` in front of `upstream`, for pages on `corsOrigin`. */
export async function relay(upstream: string, corsOrigin: string): Promise<{ origin: string; stop(): Promise<void> }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(serverBin, ['relay', '--listen', `127.0.0.1:${port}`, '--upstream', upstream, '--cors-origin', corsOrigin], { stdio: 'ignore' });
  await expect.poll(async () => (await fetch(`${origin}/healthz`).catch(() => undefined))?.status, { timeout: 20_000 }).toBe(200);
  return {
    origin,
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

/** No serious or critical axe-core violation on the page (or within `include`). */
export async function expectAccessible(page: Page, what: string, include?: string) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const results = await (include ? builder.include(include) : builder).analyze();
  const grave = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(grave).toEqual([]);
}
