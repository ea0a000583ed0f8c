import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT, SUITE_OUT_DIR } from './paths';

const SUITE_SRC_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'suite');

/**
 * Bundles the extension-host suite: index.js (the extensionTestsPath entry) and one file per
 * *.test.ts, so mocha reports each file on its own. `vscode` is provided by the extension host and
 * mocha is loaded from the repo's node_modules.
 */
export async function bundleSuite(): Promise<{ entry: string; outDir: string }> {
  // One folder per run, so that two runs in the same work tree do not rebuild each other's suite.
  const outDir = path.join(SUITE_OUT_DIR, `suite-${process.pid}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  const tests = fs.readdirSync(SUITE_SRC_DIR).filter((file) => file.endsWith('.test.ts'));
  await build({
    entryPoints: [path.join(SUITE_SRC_DIR, 'index.ts'), ...tests.map((file) => path.join(SUITE_SRC_DIR, file))],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'error',
  });
  return { entry: path.join(outDir, 'index.js'), outDir };
}
