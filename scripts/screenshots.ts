// Regenerates the README's screenshots (media/screenshots/*.png) from a real VS Code: runs the
// end-to-end suite's "editor experience" tests (test/e2e/suite/editor.test.ts) on
// examples/layered-repo, whose UI bridge takes a picture at each state the README shows (the quota
// fix, Disable for this line, the wrong-key message, the graph with problem markers, the
// walkthrough). Run with `npm run screenshots` (it builds first); needs what `npm run test:e2e` needs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureInstalled } from '../test/e2e/runner/install';
import { EXAMPLE_WORKSPACE, EXTENSION_DIR, REPO_ROOT } from '../test/e2e/runner/paths';
import { killTrackedProcessGroups, removeAtExit } from '../test/e2e/runner/processes';
import { bundleSuite } from '../test/e2e/runner/suiteBundle';
import { UiBridge } from '../test/e2e/runner/uiBridge';
import { VsCodeServer } from '../test/e2e/runner/vscodeServer';
import { Browser, runExtensionTests } from '../test/e2e/runner/workbench';
import { E2E_ENV } from '../test/e2e/suite/setup-env';

const OUT_DIR = path.join(REPO_ROOT, 'media', 'screenshots');

async function main(): Promise<number> {
  await ensureInstalled();
  const suite = await bundleSuite();
  removeAtExit(suite.outDir);
  const scratch = removeAtExit(fs.mkdtempSync(path.join(os.tmpdir(), 'gg-screenshots-')));
  const bridge = new UiBridge(path.join(scratch, 'ui-bridge'), OUT_DIR);
  // Smaller than the tests' window: the README's pictures stay small and readable.
  const browser = await Browser.launch({ width: 1200, height: 760 });
  const server = await VsCodeServer.start({
    env: { [E2E_ENV.results]: path.join(scratch, 'mocha.json'), [E2E_ENV.grep]: 'editor experience', [E2E_ENV.uiBridge]: bridge.dir },
  });
  try {
    const run = await runExtensionTests(browser, server, {
      folder: EXAMPLE_WORKSPACE,
      extensionPath: EXTENSION_DIR,
      testsPath: suite.entry,
      timeoutMs: 300_000,
      screenshotName: 'screenshots-run',
      bridge,
    });
    process.stdout.write(`${run.log.filter((line) => /✔|FAILED|passing|failing/.test(line)).join('\n')}\n`);
    if (run.exitCode !== 0) return run.exitCode;
  } finally {
    await server.stop();
    await browser.close();
  }
  for (const file of fs.readdirSync(OUT_DIR).filter((name) => name.endsWith('.png')).sort()) {
    process.stdout.write(`${path.relative(REPO_ROOT, path.join(OUT_DIR, file))}: ${Math.round(fs.statSync(path.join(OUT_DIR, file)).size / 1024)} KiB\n`);
  }
  return 0;
}

main().then(
  (code) => {
    killTrackedProcessGroups();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    killTrackedProcessGroups();
    process.exit(1);
  },
);
