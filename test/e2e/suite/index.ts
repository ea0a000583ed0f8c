// The extensionTestsPath entry: the workbench calls run() inside the extension host and reports
// the outcome through codeAutomationExit. Every *.test.js bundled beside this file is loaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { E2E_ENV } from './setup-env';

interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const grep = process.env[E2E_ENV.grep];
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  const outcomes: TestOutcome[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultsFile = process.env[E2E_ENV.results];
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify({ failures, tests: outcomes }, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension host test(s) failed`));
      else if (!outcomes.some((outcome) => outcome.state === 'passed')) reject(new Error(`no extension host test ran${grep ? ` (grep ${grep})` : ''}`));
      else resolve();
    });
    runner.on('pass', (test) => outcomes.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('pending', (test) => outcomes.push({ title: test.fullTitle(), state: 'skipped' }));
    // Printed at once too: a run that times out later still shows why a test failed.
    runner.on('fail', (test, error: Error) => console.log(`FAILED ${test.fullTitle()}: ${error.stack ?? String(error)}`));
    runner.on('fail', (test, error: Error) => outcomes.push({
      title: test.fullTitle(),
      state: 'failed',
      durationMs: test.duration,
      error: error.stack ?? String(error),
    }));
  });
}
