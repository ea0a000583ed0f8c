import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';
import { runChecked } from './processes';

export interface PackagedVsix {
  file: string;
  bytes: number;
  /** Paths inside the extension folder of the package, e.g. `dist/extension.js`. */
  entries: string[];
  /** The README as packaged (extension/readme.md). */
  readme: string;
}

/** Packages `extensionDir` with vsce@3 (which runs on Node 20) the way a release would. */
export async function packageVsix(extensionDir: string, outDir: string): Promise<PackagedVsix> {
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as { name: string; version: string };
  const file = path.join(outDir, `${manifest.name}-${manifest.version}.vsix`);
  // Standard input is closed and the flags answer vsce's questions, so it cannot wait at a prompt.
  // --no-rewrite-relative-links (as `npm run package`): the README's images stay files of the
  // package, so the extension page shows them offline.
  await runChecked(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--skip-license', '--out', file], {
    cwd: extensionDir,
    timeoutMs: 120_000,
  });
  return { file, bytes: fs.statSync(file).size, entries: await vsixEntries(file), readme: await vsixReadme(file) };
}

async function vsixReadme(file: string): Promise<string> {
  const read = await runChecked('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("extension/readme.md").decode())', file]);
  return read.stdout;
}

/** The images a README shows: `![alt](path)` targets. */
export function readmeImages(readme: string): string[] {
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

async function vsixEntries(file: string): Promise<string[]> {
  const listing = await runChecked('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', file]);
  return listing.stdout.split('\n')
    .filter((entry) => entry.startsWith('extension/'))
    .map((entry) => entry.slice('extension/'.length))
    .filter((entry) => entry !== '');
}

/** Keys under `contributes` whose string values are files of the extension. */
const FILE_KEYS = new Set(['icon', 'light', 'dark', 'path', 'configuration', 'markdown', 'image']);

/** Files the manifest points at, which the package must contain for the extension to work. */
export function manifestFiles(extensionDir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const files = new Set<string>();
  const add = (file: string) => {
    const normal = path.posix.normalize(file.replace(/^\.\//, ''));
    files.add(normal.startsWith('dist/') && !path.posix.extname(normal) ? `${normal}.js` : normal);
  };
  for (const key of ['main', 'browser', 'icon']) {
    if (typeof manifest[key] === 'string') add(manifest[key]);
  }
  const walk = (value: unknown, key?: string): void => {
    // Codicons ("$(refresh)") and URLs are not files of the package.
    if (typeof value === 'string' && key && FILE_KEYS.has(key) && !value.startsWith('$(') && !/^[a-z]+:/i.test(value)) add(value);
    else if (Array.isArray(value)) value.forEach((item) => walk(item, key));
    else if (value && typeof value === 'object') for (const [childKey, child] of Object.entries(value)) walk(child, childKey);
  };
  walk(manifest.contributes);
  return [...files];
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}
