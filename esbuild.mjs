// Bundles the extension client, the language server and the CLI into dist/ (vscode external).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

// The built-in schemas (3 MB of data: Kubernetes validators and definitions, the CRD snapshot, the
// Flux CRDs) are needed only when a schema rule or feature first runs: they stay apart in
// dist/generated/, required from there on first use (server/src/schema/builtin.ts), so that the
// CLI and the server start without compiling them (the warm `check`, `initialize`).
const GENERATED = fileURLToPath(new URL('./server/src/schema/generated/', import.meta.url));
const schemasApart = {
  name: 'schemas-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/generated\/[\w-]+\.(json|js)$/ }, (args) => (args.importer.startsWith(GENERATED.replace(/generated\/$/, '')) ? { path: args.path, external: true } : undefined));
  },
};
// The language server answers `initialize` with dist/server.js alone (the LSP library and the
// wiring); the model, rules and features are dist/engine.js, required once that answer is sent
// (server/src/server.ts, engine()), so that its compilation does not delay the answer.
const SERVER_ENTRY = fileURLToPath(new URL('./server/src/server.ts', import.meta.url));
const engineApart = {
  name: 'engine-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/engine$/ }, (args) => (args.importer === SERVER_ENTRY ? { path: './engine.js', external: true } : undefined));
  },
};
const SCHEMA_DATA = ['k8s-definitions.json', 'kustomization.json', 'flux-crds.json', 'crd-snapshot.json'];
function copySchemaData() {
  mkdirSync(new URL('./dist/generated/', import.meta.url), { recursive: true });
  // Compact JSON: JSON.parse reads it faster than a bundled object literal compiles.
  for (const name of SCHEMA_DATA) writeFileSync(new URL(`./dist/generated/${name}`, import.meta.url), JSON.stringify(JSON.parse(readFileSync(join(GENERATED, name), 'utf8'))));
}

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [elkApart] },
  { ...common, entryPoints: ['node_modules/elkjs/lib/elk.bundled.js'], outfile: 'dist/elk.js' },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', plugins: [engineApart, schemasApart] },
  { ...common, entryPoints: ['server/src/engine.ts'], outfile: 'dist/engine.js', plugins: [schemasApart] },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [schemasApart] },
  // Started by server.js and cli.js (model/parse-pool.ts) from beside them.
  { ...common, entryPoints: ['server/src/model/parse-worker.ts'], outfile: 'dist/parse-worker.js', plugins: [schemasApart] },
  { ...common, entryPoints: ['server/src/schema/generated/validators.js'], outfile: 'dist/generated/validators.js', sourcemap: false },
];

copySchemaData();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
