import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { activateExtension, allDiagnostics, formatDiagnostic, E2E_ENV, poll } from './helpers';

suite('parity with the CLI', () => {
  test('VS Code shows exactly the findings `gitops-guardrails check` reports', async function () {
    const findingsFile = process.env[E2E_ENV.cliFindings];
    if (!findingsFile) this.skip();
    const expected = (JSON.parse(fs.readFileSync(findingsFile!, 'utf8')) as string[]).sort();
    await activateExtension();
    const shown = () => allDiagnostics().flatMap(([uri, diagnostics]) => diagnostics.map((d) => formatDiagnostic(uri, d))).sort();
    // The server publishes file by file; wait until the picture is complete before comparing.
    await poll('the same findings as the CLI', 30_000, () => (JSON.stringify(shown()) === JSON.stringify(expected) ? true : undefined))
      .catch(() => assert.deepEqual(shown(), expected, 'VS Code diagnostics differ from the CLI findings'));
  });
});
