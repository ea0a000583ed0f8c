// Bundles the extension client, the language server and the CLI into dist/ (vscode external).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// A hash of the server's sources and the lock file: what the parse cache of a build may read
// (server/src/model/parse-cache.ts ignores a cache another build wrote).
const buildId = (() => {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|json|js)$/.test(entry.name)) hash.update(full).update(readFileSync(full));
    }
  };
  walk(fileURLToPath(new URL('./server/src', import.meta.url)));
  hash.update(readFileSync(new URL('./package-lock.json', import.meta.url)));
  return hash.digest('hex').slice(0, 16);
})();
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  define: { __VERSION__: JSON.stringify(version), __BUILD_ID__: JSON.stringify(buildId) },
};

// ELK (1.6 MB) is needed only when the dependency graph opens: the extension loads it then from
// dist/elk.js, bundled apart, so activation does not parse it (client/src/graph/layout.ts).
const elkApart = {
  name: 'elk-apart',
  setup(build) {
    build.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: './elk.js', external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [elkApart] },
  { ...common, entryPoints: ['node_modules/elkjs/lib/elk.bundled.js'], outfile: 'dist/elk.js' },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // Started by server.js and cli.js (model/parse-pool.ts) from beside them.
  { ...common, entryPoints: ['server/src/model/parse-worker.ts'], outfile: 'dist/parse-worker.js' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
