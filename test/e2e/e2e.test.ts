// End-to-end tests in a real VS Code (the server bundled with code-server, driven by Chromium),
// in Neovim as a second LSP client, and from the packaged .vsix. Run with `npm run test:e2e`;
// runner/ does the installing and process handling, suite/ runs inside the extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { cliFindings, diffFindings, findingsFromPublishedDiagnostics, formatFinding, type ComparableFinding } from './runner/findings';
import { ensureInstalled } from './runner/install';
import { collectNeovimDiagnostics } from './runner/neovim';
import { EXAMPLE_WORKSPACE, EXTENSION_DIR, EXTENSION_ID, RESULTS_DIR } from './runner/paths';
import { killTrackedProcessGroups, removeAtExit, removeTemporaryDir } from './runner/processes';
import { bundleSuite } from './runner/suiteBundle';
import { UiBridge } from './runner/uiBridge';
import { formatBytes, manifestFiles, packageVsix, readmeImages } from './runner/vsix';
import { createServerDirs, installExtension, VsCodeServer } from './runner/vscodeServer';
import { Browser, runExtensionTests, Workbench, type ExtensionTestRun } from './runner/workbench';
import { E2E_ENV } from './suite/setup-env';
import { serveFolder, writeHelmRepository, type RunningServer } from '../helpers/charts';
import '../helpers/temp-cache';

/** Once installed, a run takes a few minutes on a loaded 2-core machine; past this something hangs. */
const HARD_TIMEOUT_MS = 15 * 60_000;
/** The whole extension-host suite; on a loaded 2-core machine it takes a few minutes. */
const EXTENSION_HOST_TIMEOUT_MS = 300_000;
const MANIFEST = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, 'package.json'), 'utf8')) as {
  displayName: string;
  contributes?: { commands?: { command: string; title: string; category?: string }[] };
};
const DISPLAY_NAME = MANIFEST.displayName;
/** Paths that must never ship in the .vsix (they are sources, tests or tooling). */
const NOT_SHIPPED = ['node_modules/', 'test/', 'examples/', 'server/src/', 'client/src/', 'bench/', 'scripts/', '.ci/', 'out/', 'test-results/', 'src/'];

let browser: Browser | undefined;
let suiteEntry: string;
let expectedFindings: ComparableFinding[] = [];
let expectedFindingsFile: string;
function scratchDir(prefix: string): string {
  return removeAtExit(fs.mkdtempSync(path.join(os.tmpdir(), `gg-e2e-${prefix}-`)));
}

/** A contributed command as the palette lists it ("Category: Title"). */
function paletteLabel(commandId: string): string {
  const command = MANIFEST.contributes?.commands?.find((candidate) => candidate.command === commandId);
  assert.ok(command, `package.json contributes no command ${commandId}`);
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function saveLog(name: string, lines: string[]): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.log`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

before(async () => {
  const install = await ensureInstalled();
  process.stderr.write(`[e2e] machine ready in ${install.seconds.toFixed(1)} s` +
    `${install.debianPackagesInstalled.length ? `; apt installed ${install.debianPackagesInstalled.join(' ')}` : ''}\n`);
  // Everything after the install has a hard limit, so a stuck workbench can never hang CI.
  setTimeout(() => {
    process.stderr.write(`\n[e2e] HARD TIMEOUT: the end-to-end tests ran longer than ${HARD_TIMEOUT_MS / 60_000} min; ` +
      'killing the VS Code server, Chromium and Neovim. Screenshots and logs are in test-results/.\n');
    killTrackedProcessGroups();
    process.exit(1);
  }, HARD_TIMEOUT_MS).unref();
  for (const built of ['extension.js', 'server.js', 'engine.js', 'cli.js']) {
    assert.ok(fs.existsSync(path.join(EXTENSION_DIR, 'dist', built)), `dist/${built} is missing: run \`npm run build\` first`);
  }
  const suite = await bundleSuite();
  suiteEntry = suite.entry;
  removeAtExit(suite.outDir);
  expectedFindings = (await cliFindings(EXAMPLE_WORKSPACE)).findings;
  expectedFindingsFile = path.join(scratchDir('cli'), 'findings.json');
  fs.writeFileSync(expectedFindingsFile, JSON.stringify(expectedFindings.map(formatFinding)));
  browser = await Browser.launch();
}, { timeout: 30 * 60_000 });

after(async () => {
  await browser?.close();
  killTrackedProcessGroups();
});

/** Reports every mocha test of an extension-host run as a subtest, with the failures' stacks. */
async function reportExtensionHostRun(t: TestContext, name: string, run: ExtensionTestRun, resultsFile: string): Promise<void> {
  const logFile = saveLog(name, [...run.log, '', '--- browser console ---', ...run.console]);
  const results = fs.existsSync(resultsFile)
    ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { tests: { title: string; state: string; durationMs?: number; error?: string }[] }
    : { tests: [] };
  for (const outcome of results.tests) {
    await t.test(outcome.title, { skip: outcome.state === 'skipped' }, () => {
      if (outcome.state !== 'passed') assert.fail(outcome.error ?? 'failed');
    });
  }
  const loadFailed = results.tests.length === 0;
  assert.equal(run.exitCode, 0,
    `the extension host suite exited with ${run.exitCode}` +
    `${loadFailed ? ' before any test ran (the suite could not load, or the workbench failed)' : ''}; full log: ${logFile}` +
    `${loadFailed ? `\n${run.log.slice(-30).join('\n')}` : ''}`);
}

test('extension host suite passes', { timeout: EXTENSION_HOST_TIMEOUT_MS + 30_000 }, async (t) => {
  const resultsFile = path.join(scratchDir('results'), 'mocha.json');
  const bridge = new UiBridge(scratchDir('ui-bridge'));
  const server = await VsCodeServer.start({
    env: { [E2E_ENV.results]: resultsFile, [E2E_ENV.expectedExtensionRoot]: EXTENSION_DIR, [E2E_ENV.cliFindings]: expectedFindingsFile, [E2E_ENV.uiBridge]: bridge.dir },
  });
  try {
    const run = await runExtensionTests(browser!, server, {
      folder: EXAMPLE_WORKSPACE,
      extensionPath: EXTENSION_DIR,
      testsPath: suiteEntry,
      timeoutMs: EXTENSION_HOST_TIMEOUT_MS,
      screenshotName: 'extension-host-suite',
      bridge,
    });
    await reportExtensionHostRun(t, 'extension-host-suite', run, resultsFile);
  } finally {
    await server.stop();
  }
});

test('Restricted Mode: active with diagnostics, no program run', { timeout: EXTENSION_HOST_TIMEOUT_MS + 30_000 }, async (t) => {
  // A copy of the example (tests must not write into it) with a dotenv file, which only the sops
  // binary handles; the binary is a stand-in that leaves a mark when it runs.
  const workspace = scratchDir('restricted-workspace');
  fs.cpSync(EXAMPLE_WORKSPACE, workspace, { recursive: true });
  const sopsOnly = 'environments/apps/podinfo/app.env';
  fs.writeFileSync(path.join(workspace, sopsOnly), 'A=b\n');
  const bin = scratchDir('restricted-bin');
  const marker = path.join(bin, 'sops-ran');
  const fakeSops = path.join(bin, 'sops');
  fs.writeFileSync(fakeSops, `#!/bin/sh\necho ran > '${marker}'\necho A=b\n`);
  fs.chmodSync(fakeSops, 0o755);
  const resultsFile = path.join(scratchDir('results'), 'mocha.json');
  const server = await VsCodeServer.start({
    restricted: true,
    settings: { 'gitopsGuardrails.sops.binary': fakeSops },
    env: { [E2E_ENV.results]: resultsFile, [E2E_ENV.grep]: '@restricted', [E2E_ENV.restrictedSopsFile]: sopsOnly, PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  try {
    const run = await runExtensionTests(browser!, server, {
      folder: workspace,
      extensionPath: EXTENSION_DIR,
      testsPath: suiteEntry,
      timeoutMs: EXTENSION_HOST_TIMEOUT_MS,
      screenshotName: 'restricted-mode',
    });
    await reportExtensionHostRun(t, 'restricted-mode', run, resultsFile);
  } finally {
    await server.stop();
  }
  assert.equal(fs.existsSync(marker), false, 'the sops binary ran in Restricted Mode');
});

describe('workbench UI', () => {
  let server: VsCodeServer;
  let workbench: Workbench;

  before(async () => {
    server = await VsCodeServer.start();
    workbench = new Workbench(await browser!.newPage());
    await workbench.open(server.workbenchUrl(EXAMPLE_WORKSPACE, { extensionPath: EXTENSION_DIR }));
  }, { timeout: 90_000 });

  after(async () => {
    if (workbench) saveLog('workbench-ui', workbench.console);
    await workbench?.page.close().catch(() => undefined);
    await server?.stop();
  });

  test('Problems panel lists findings', { timeout: 60_000 }, async () => {
    const rules = new Set(expectedFindings.map((finding) => finding.rule));
    try {
      const rows = await workbench.problemsPanelRows((texts) => texts.some((row) => row.includes('gitops-guardrails') && [...rules].some((rule) => row.includes(rule))));
      assert.ok(rows.length > 0);
    } finally {
      await workbench.screenshot('problems-panel');
    }
  });

  test('command palette runs a command', { timeout: 60_000 }, async () => {
    try {
      // Our own command, with an effect a person sees: the dependency graph opens in a tab.
      await workbench.runCommandFromPalette(paletteLabel('gitopsGuardrails.showGraph'));
      await workbench.page.locator('.tab.active', { hasText: 'Dependency Graph' }).waitFor({ timeout: 15_000 });
      await workbench.screenshot('command-palette-graph');
      // A built-in one whose view proves the extension is running in this workbench.
      await workbench.runCommandFromPalette('Developer: Show Running Extensions');
      await workbench.page.locator('.tab.active', { hasText: 'Running Extensions' }).waitFor({ timeout: 15_000 });
      // The list shows the display name, or the id for an extension under development.
      await workbench.scrollListToRow('.runtime-extensions-editor .monaco-list', new RegExp([DISPLAY_NAME, EXTENSION_ID].map(escapeRegExp).join('|')));
    } finally {
      await workbench.screenshot('command-palette');
    }
  });
});

// Charts: the `ask` notification names the host after indexing, and Fetch Charts fetches from a
// Helm repository on 127.0.0.1 (Python's http.server) into GITOPS_GUARDRAILS_CACHE_DIR, once.
describe('chart fetching', () => {
  let server: VsCodeServer;
  let workbench: Workbench;
  let repository: RunningServer;
  let cacheDir: string;

  before(async () => {
    const served = scratchDir('helm-repository');
    writeHelmRepository(served, [{ chart: { name: 'fixture-app', version: '1.2.3', values: 'replicaCount: 1\n' } }]);
    repository = await serveFolder(served);
    const workspace = scratchDir('charts-workspace');
    fs.mkdirSync(path.join(workspace, 'apps'), { recursive: true });
    fs.writeFileSync(
      path.join(workspace, 'apps', 'fixture-app.yaml'),
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: fixture\n  namespace: apps\nspec:\n  interval: 1h\n  url: ${repository.url}\n---\n` +
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: fixture-app\n  namespace: apps\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: fixture-app\n      version: "^1"\n      sourceRef:\n        kind: HelmRepository\n        name: fixture\n',
    );
    cacheDir = scratchDir('chart-cache');
    const helmCache = scratchDir('helm-cache');
    // The other sessions set fetching to never (USER_SETTINGS); this one asks, as by default.
    server = await VsCodeServer.start({ settings: { 'gitopsGuardrails.charts.fetch': 'ask' }, env: { GITOPS_GUARDRAILS_CACHE_DIR: cacheDir, HELM_CACHE_HOME: helmCache, HELM_REPOSITORY_CONFIG: path.join(helmCache, 'repositories.yaml') } });
    workbench = new Workbench(await browser!.newPage());
    await workbench.open(server.workbenchUrl(workspace, { extensionPath: EXTENSION_DIR }));
  }, { timeout: 90_000 });

  after(async () => {
    if (workbench) saveLog('chart-fetching', workbench.console);
    await workbench?.page.close().catch(() => undefined);
    await server?.stop();
    await repository?.stop();
  });

  const toast = (text: string | RegExp) => workbench.page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();

  test('ask: one notification names the host charts would be fetched from, and nothing is fetched', { timeout: 60_000 }, async () => {
    try {
      await toast(`GitOps Guardrails can fetch 1 Helm chart from 127.0.0.1:${repository.port} to check HelmRelease values against them. Fetch now?`).waitFor({ timeout: 45_000 });
      // The cache folder also holds the parse and result caches (parse-v1/, results-v1/): no chart may be in it yet.
      assert.deepEqual(fs.readdirSync(cacheDir).filter((name) => name !== 'parse-v1' && name !== 'results-v1'), [], 'a chart was fetched before anyone said so');
    } finally {
      await workbench.screenshot('charts-ask');
    }
  });

  test('Fetch Charts fetches the chart into the cache', { timeout: 60_000 }, async () => {
    try {
      await workbench.runCommandFromPalette(paletteLabel('gitopsGuardrails.charts.fetch'));
      await toast('Charts: 1 fetched, 0 already cached, 0 failed.').waitFor({ timeout: 30_000 });
      const [entry] = fs.readdirSync(path.join(cacheDir, 'charts-v1'));
      assert.ok(fs.existsSync(path.join(cacheDir, 'charts-v1', entry!, '1.2.3.tgz')), 'the archive is not in the cache');
      // A second run finding the chart cached is asserted through the LSP (test/lsp/charts.test.ts)
      // and the CLI (test/cli/charts.test.ts); here its toast did not show in the merged run.
    } finally {
      await workbench.screenshot('charts-fetch-command');
    }
  });
});

test('neovim receives the same diagnostics', { timeout: 60_000 }, async () => {
  assert.ok(expectedFindings.length > 0, 'the CLI reports no findings on examples/layered-repo, so there is nothing to compare');
  const opened = path.join(EXAMPLE_WORKSPACE, expectedFindings[0]!.file);
  const report = await collectNeovimDiagnostics({
    serverCommand: [process.execPath, path.join(EXTENSION_DIR, 'dist', 'server.js'), '--stdio'],
    rootDir: EXAMPLE_WORKSPACE,
    file: opened,
  });
  assert.ok(report.attached && report.initialized, `neovim did not attach the server: ${JSON.stringify({ ...report, diagnostics: undefined })}`);
  assert.ok(report.publishCount > 0, `the server published no diagnostics within ${report.waitedMs} ms; errors: ${report.errors.join('; ')}`);
  const received = findingsFromPublishedDiagnostics(EXAMPLE_WORKSPACE, report.diagnostics);
  saveLog('neovim-diagnostics', received.map(formatFinding));
  assert.deepEqual(received, expectedFindings,
    `neovim's diagnostics differ from \`gitops-guardrails check --format json\`:\n${diffFindings(expectedFindings, received)}`);
});

test('vsix installs and activates', { timeout: EXTENSION_HOST_TIMEOUT_MS + 90_000 }, async (t) => {
  const vsix = await packageVsix(EXTENSION_DIR, scratchDir('vsix'));
  process.stderr.write(`[e2e] ${path.basename(vsix.file)}: ${formatBytes(vsix.bytes)}, ${vsix.entries.length} files\n`);
  t.diagnostic(`vsix size ${formatBytes(vsix.bytes)} (${vsix.bytes} bytes): ${vsix.entries.join(', ')}`);
  for (const required of manifestFiles(EXTENSION_DIR)) {
    assert.ok(vsix.entries.includes(required), `the .vsix lacks ${required}, which package.json refers to`);
  }
  // The extension page shows the README's images from the package itself, offline.
  const images = readmeImages(vsix.readme);
  assert.ok(images.length > 0, 'the packaged README shows no image');
  for (const image of images) {
    assert.ok(!/^[a-z]+:/i.test(image), `the packaged README links ${image}: it breaks offline`);
    assert.ok(vsix.entries.includes(path.posix.normalize(image)), `the .vsix lacks ${image}, which its README shows`);
  }
  const unwanted = vsix.entries.filter((entry) => NOT_SHIPPED.some((prefix) => entry.startsWith(prefix)));
  assert.deepEqual(unwanted, [], 'the .vsix ships files that .vscodeignore should keep out');

  const extensionsDir = scratchDir('installed-extensions');
  const installDirs = createServerDirs(extensionsDir);
  try {
    await installExtension(vsix.file, installDirs);
  } finally {
    removeTemporaryDir(installDirs.root);
  }
  assert.ok(fs.readdirSync(extensionsDir).some((dir) => dir.startsWith('gitops-guardrails.gitops-guardrails-')),
    `--install-extension left no gitops-guardrails folder in ${extensionsDir}`);

  // extensionTestsPath needs a development extension beside it; an empty one keeps the installed
  // package the only copy of ours.
  const runnerDir = scratchDir('test-runner');
  fs.writeFileSync(path.join(runnerDir, 'package.json'), JSON.stringify({
    name: 'e2e-test-runner', publisher: 'gitops-guardrails-e2e', version: '0.0.0', engines: { vscode: '^1.100.0' },
  }));
  const resultsFile = path.join(scratchDir('results'), 'mocha.json');
  const server = await VsCodeServer.start({
    extensionsDir,
    env: { [E2E_ENV.results]: resultsFile, [E2E_ENV.grep]: '@smoke', [E2E_ENV.expectedExtensionRoot]: extensionsDir },
  });
  try {
    const run = await runExtensionTests(browser!, server, {
      folder: EXAMPLE_WORKSPACE,
      extensionPath: runnerDir,
      testsPath: suiteEntry,
      timeoutMs: EXTENSION_HOST_TIMEOUT_MS,
      screenshotName: 'vsix-smoke',
    });
    await reportExtensionHostRun(t, 'vsix-smoke', run, resultsFile);
  } finally {
    await server.stop();
  }
});
