// The same extension-host suite in a VS Code that @vscode/test-electron downloads: for
// contributors with internet access. CI and these machines cannot download VS Code, so
// `npm test` runs the suite in code-server instead (../e2e.test.ts).
//
//   npm run test:e2e:electron
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { cliFindings, formatFinding } from './findings';
import { EXAMPLE_WORKSPACE, EXTENSION_DIR } from './paths';
import { bundleSuite } from './suiteBundle';
import { E2E_ENV } from '../suite/setup-env';

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gg-e2e-electron-'));
  const suite = await bundleSuite();
  try {
    const findingsFile = path.join(scratch, 'findings.json');
    fs.writeFileSync(findingsFile, JSON.stringify((await cliFindings(EXAMPLE_WORKSPACE)).findings.map(formatFinding)));
    const resultsFile = path.join(scratch, 'results.json');
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: EXTENSION_DIR,
      extensionTestsPath: suite.entry,
      launchArgs: [EXAMPLE_WORKSPACE, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${path.join(scratch, 'user-data')}`],
      extensionTestsEnv: { [E2E_ENV.results]: resultsFile, [E2E_ENV.expectedExtensionRoot]: EXTENSION_DIR, [E2E_ENV.cliFindings]: findingsFile },
    });
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { failures: number; tests: { state: string }[] };
    process.stdout.write(`${results.tests.filter((t) => t.state === 'passed').length} passed, ${results.failures} failed\n`);
  } finally {
    fs.rmSync(suite.outDir, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
});
