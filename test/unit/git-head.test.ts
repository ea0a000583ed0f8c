// HEAD as git has it (gitHead.ts): read by a child process, so the server's thread stays free, and
// every file a build reads (a generator's input too) taken from the commit, never the work tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { headTree, readingHead } from '../../server/src/gitHead';
import { renderIn } from '../../server/src/features/render';

function repoWith(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gg-head-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const git = (root: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, stdio: 'pipe' });

test('HEAD is read without blocking, and a generator reads its file as committed', async () => {
  const root = repoWith({
    'app/kustomization.yaml': 'configMapGenerator:\n  - name: settings\n    envs:\n      - app.env\n    options:\n      disableNameSuffixHash: true\n',
    'app/app.env': 'MODE=committed\n',
  });
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'first');
  writeFileSync(path.join(root, 'app/app.env'), 'MODE=edited\n');

  let turns = 0;
  const ticking = setInterval(() => turns++, 0);
  const pending = headTree(root);
  assert.ok(pending instanceof Promise);
  const tree = await pending;
  clearInterval(ticking);
  if (typeof tree === 'string') assert.fail(tree);
  assert.ok(turns > 0, 'the event loop ran while git read HEAD');
  assert.match(tree.commit, /^[0-9a-f]{40}$/);

  const text = await readingHead(tree, () => renderIn(tree.model, { folder: 'app' }, tree.input));
  assert.match(text, /MODE: committed/);
  assert.doesNotMatch(text, /edited/);
  assert.equal(tree.wanted.size, 0);
  // Kept for the commit: the same tree, the file not read again.
  assert.equal(await headTree(root), tree);
});

test('a folder that is not a git repository says so', async () => {
  const root = repoWith({ 'a.yaml': 'a: 1\n' });
  assert.equal(await headTree(root), 'the workspace is not a git repository with a commit (or git is not installed)');
});
