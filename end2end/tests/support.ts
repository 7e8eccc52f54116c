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
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Its own ota-server with its own demo database, which the test may stop and start again. */
export async function privateServer(options: { consolePath?: string } = {}): Promise<PrivateServer> {
  const port = await freePort();
  const database = join(mkdtempSync(join(tmpdir(), 'ota-e2e-private-')), 'ota.db');
  const origin = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--database', database, '--console-dir', distDir, '--seed-demo'];
  if (options.consolePath) args.push('--console-path', options.consolePath);
  const server: PrivateServer = {
    origin,
    async start() {
      child = spawn(serverBin, args, { stdio: 'ignore' });
      await expect
        .poll(async () => (await fetch(`${origin}/healthz`).catch(() => undefined))?.status, { timeout: 20_000 })
        .toBe(200);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((done) => {
        running.once('exit', () => done());
        running.kill('SIGTERM');
      });
    },
  };
  await server.start();
  return server;
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
