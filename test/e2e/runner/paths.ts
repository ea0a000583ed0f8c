import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest code-server whose install accepts Node 20; it bundles VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The extension under test (its package.json and dist/); overridable to try the harness on another build. */
export const EXTENSION_DIR = path.resolve(process.env.GG_E2E_EXTENSION_DIR ?? REPO_ROOT);
/** The workspace the tests open; overridable like EXTENSION_DIR. */
export const EXAMPLE_WORKSPACE = path.resolve(process.env.GG_E2E_WORKSPACE ?? path.join(REPO_ROOT, 'examples', 'layered-repo'));
export const EXTENSION_ID = 'gitops-guardrails.gitops-guardrails';
export const DIAGNOSTIC_SOURCE = 'gitops-guardrails';

/** Screenshots and logs a person may want to look at after a run (gitignored). */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
/** Bundled extension-host tests (gitignored). */
export const SUITE_OUT_DIR = path.join(REPO_ROOT, 'out', 'e2e');

/** Installs live outside the repository so that they survive clean checkouts and are shared by runs. */
export const CACHE_ROOT = path.join(os.tmpdir(), 'gitops-guardrails-e2e');
/** Keyed by Node's ABI too: code-server's native modules are built for the Node that installs them. */
export const CODE_SERVER_PREFIX = path.join(CACHE_ROOT, `code-server-${CODE_SERVER_VERSION}-node-abi${process.versions.modules}`);
export const VSCODE_SERVER_MAIN = path.join(
  CODE_SERVER_PREFIX, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');

export const CHROMIUM = '/usr/bin/chromium';
export const NEOVIM = '/usr/bin/nvim';
