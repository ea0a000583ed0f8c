// The extension package, offline: `vsce ls` lists what the .vsix ships (no test, source or tool
// file), and the .vsix `vsce package` builds is one Open VSX accepts as it is (`ovsx publish
// <file>.vsix` is not run here: it needs the network and a token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VSCE = path.join(ROOT, 'node_modules', '.bin', 'vsce');
/** What only develops or tests the extension. */
const NOT_SHIPPED = [/^test\//, /^examples\//, /^bench\//, /^scripts\//, /^server\/src\//, /^client\/src\//, /^node_modules\//, /^out\//, /^test-results\//, /\.ts$/, /\.map$/, /^tsconfig/, /^esbuild\.mjs$/, /^\.github\//, /^action\.yml$/, /^\.pre-commit-hooks\.yaml$/];

function vsce(args: string[]): string {
  // Standard input closed: vsce may not wait at a prompt.
  const run = spawnSync(VSCE, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  assert.equal(run.status, 0, `vsce ${args.join(' ')}: ${run.stderr}${run.stdout}`);
  return run.stdout;
}

/** The images a README shows: `![alt](path)` targets. */
function readmeImages(readme: string): string[] {
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

test('vsce ls: the package holds the bundles, the manifest\'s files and the README\'s images, and no test or source file', { skip: !existsSync(VSCE) && 'vsce is not installed' }, () => {
  const files = vsce(['ls', '--no-dependencies']).split('\n').map((line) => line.trim()).filter(Boolean);
  assert.deepEqual(files.filter((file) => NOT_SHIPPED.some((pattern) => pattern.test(file))), []);
  for (const required of ['package.json', 'README.md', 'LICENSE', 'dist/extension.js', 'dist/server.js', 'dist/engine.js', 'dist/parse-worker.js', 'dist/elk.js', 'dist/generated/validators.js', 'dist/generated/k8s-definitions.json', 'dist/generated/kustomization.json', 'dist/generated/flux-crds.json', 'dist/generated/crd-snapshot.json', 'media/icon.png', 'media/graph.js']) {
    assert.ok(files.includes(required), `the package lacks ${required}: ${files.join(', ')}`);
  }
  // The extension page shows the README's images from the package itself, offline.
  const images = readmeImages(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  assert.ok(images.length > 0);
  for (const image of images) {
    assert.doesNotMatch(image, /^[a-z]+:/i, `the README links ${image}: it breaks offline`);
    assert.ok(files.includes(path.posix.normalize(image)), `the package lacks ${image}, which the README shows`);
  }
});

test('the .vsix is one Open VSX accepts: identity, license, repository, engines and icon in the packaged manifest', { skip: !existsSync(VSCE) && 'vsce is not installed' }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-vsix-'));
  try {
    const file = path.join(dir, 'extension.vsix');
    vsce(['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', file]);
    const read = (entry: string) => {
      const run = spawnSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', file, entry], { encoding: 'utf8' });
      assert.equal(run.status, 0, `${entry} is not in the .vsix: ${run.stderr}`);
      return run.stdout;
    };
    const manifest = JSON.parse(read('extension/package.json'));
    // Open VSX's rules for a namespace (publisher) and extension name, and a semantic version.
    assert.match(manifest.publisher, /^[a-z0-9][a-z0-9-]*$/);
    assert.match(manifest.name, /^[a-z0-9][a-z0-9-]*$/);
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    assert.match(manifest.engines.vscode, /^\^\d+\.\d+\.\d+$/);
    // Open VSX refuses a package without a license, and shows the repository and the icon.
    assert.equal(manifest.license, 'Apache-2.0');
    assert.match(manifest.repository.url, /^https:\/\//);
    for (const field of ['displayName', 'description']) assert.ok(manifest[field]?.length > 0, `no ${field}`);
    // Dependencies on other extensions must be on Open VSX too: there are none.
    assert.equal(manifest.extensionDependencies, undefined);
    assert.equal(manifest.extensionPack, undefined);
    const vsixManifest = read('extension.vsixmanifest');
    assert.match(vsixManifest, new RegExp(`<Identity Language="en-US" Id="${manifest.name}" Version="${manifest.version.replace(/\./g, '\\.')}" Publisher="${manifest.publisher}"`));
    // vsce packages LICENSE as extension/LICENSE.txt and names it in the manifest, as Open VSX reads it.
    const license = /<License>(extension\/LICENSE(?:\.txt)?)<\/License>/.exec(vsixManifest)?.[1];
    assert.ok(license, 'the .vsix manifest names no license file');
    assert.match(read(license), /Apache License/);
    assert.match(vsixManifest, new RegExp(`<Icon>extension/${manifest.icon}</Icon>`));
    const entries = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', file], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(entries.includes(`extension/${manifest.icon}`), `the .vsix lacks its icon ${manifest.icon}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
