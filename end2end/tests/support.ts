// Helpers shared by the specs: a private ota-server for tests that stop or move it, and a
// watch on the browser console so that no test passes while the app logs errors.
import { type Page, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const serverBin = resolve(__dirname, '..', process.env.OTA_SERVER_BIN ?? '../target/debug/ota-server');
const distDir = resolve(__dirname, '../../dist');

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
  let child: ChildProcess | undefined;
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--mqtt-listen', mqtt, '--data-dir', dataDir, '--console-dir', distDir, '--seed-demo'];
  if (options.consolePath) args.push('--console-path', options.consolePath);
  if (options.plain) args.push('--plain');
  if (options.corsOrigin) args.push('--cors-origin', options.corsOrigin);
  for (const instance of options.instances ?? []) args.push('--instance', instance);
  const server: PrivateServer = {
    origin,
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
  const child = spawn(serverBin, args, { stdio: 'ignore' });
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
