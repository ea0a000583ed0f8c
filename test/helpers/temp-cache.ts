// Imported (for its effect) by tests that start the CLI or the server: their parse cache goes to
// a temporary folder of this process, never to the user's cache folder. npm's test scripts set
// GITOPS_GUARDRAILS_CACHE_DIR already (test/runner.mjs); this covers a test file run alone.
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_DIR_ENV } from '../../server/src/model/parse-cache';

if (!process.env[CACHE_DIR_ENV]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-test-cache-'));
  process.env[CACHE_DIR_ENV] = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
