// Builds ../echarts/echarts.min.js from echarts.js with esbuild, and copies beside it the
// licences of what it bundles. The output depends only on the locked packages (npm ci) and these
// files: the same bytes on every run and every machine (no timestamps, no paths, no source map).
//
//   node build.mjs            writes ../echarts/
//   node build.mjs DIR        writes DIR/ instead (`cargo xtask test` compares it with ../echarts/)
//   node build.mjs --dev DIR  a readable development build that logs ECharts' warnings, such as
//                             "Series X is used but not imported"; never vendor it

import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dev = args[0] === '--dev';
if (dev) args.shift();
if (dev && args.length === 0) {
  console.error('usage: node build.mjs --dev DIR (a development build never goes into vendor/echarts)');
  process.exit(2);
}
const out = resolve(args[0] ?? join(here, '..', 'echarts'));

const modules = join(here, 'node_modules');
const version = async (name) => JSON.parse(await readFile(join(modules, name, 'package.json'), 'utf8')).version;
const [echarts, zrender, tslib] = await Promise.all(['echarts', 'zrender', 'tslib'].map(version));

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: ['echarts.js'],
  bundle: true,
  write: false,
  platform: 'browser',
  format: 'iife',
  // `var echarts = …` at the top of a classic script: the global the console looks for.
  globalName: 'echarts',
  // Every browser that runs the console's WebAssembly has ES2017; the sources are ES5 anyway.
  target: ['es2017'],
  minify: !dev,
  treeShaking: true,
  sourcemap: false,
  charset: 'utf8',
  // The bundled packages' licence comments are replaced by the banner and the licence files.
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  banner: {
    js:
      `/*! Apache ECharts ${echarts} (Apache-2.0; LICENSE, NOTICE, LICENSE-d3), ZRender ${zrender} ` +
      `(BSD-3-Clause; LICENSE-zrender), tslib ${tslib} (0BSD). Only the parts the OTA console ` +
      `uses${dev ? ', development build' : ''}: see README.md. */`,
  },
  logLevel: 'warning',
});

await mkdir(out, { recursive: true });
await writeFile(join(out, dev ? 'echarts.js' : 'echarts.min.js'), result.outputFiles[0].contents);
await Promise.all([
  copyFile(join(modules, 'echarts/LICENSE'), join(out, 'LICENSE')),
  copyFile(join(modules, 'echarts/NOTICE'), join(out, 'NOTICE')),
  copyFile(join(modules, 'echarts/licenses/LICENSE-d3'), join(out, 'LICENSE-d3')),
  copyFile(join(modules, 'zrender/LICENSE'), join(out, 'LICENSE-zrender')),
]);
