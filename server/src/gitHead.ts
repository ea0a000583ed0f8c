// The repository as of its last commit, read with git (no network, no work tree touched): the
// tree's files through `git ls-tree`, their text through `git cat-file`, as a RepoModel and a
// BuildInput, so the same render engine builds HEAD and the work tree alike.
import { execFileSync } from 'node:child_process';
import { modelBuildInput, type BuildInput } from './model/build';
import { RepoModel } from './model/model';
import { isYamlPath } from './model/parse';

export interface HeadTree {
  commit: string;
  model: RepoModel;
  input: BuildInput;
}

/** Folders a workspace scan never reads (scan.ts), nor does this. */
const SKIPPED = /(^|\/)(\.git|node_modules|\.terraform)(\/|$)/;
/** Larger blobs are not read (generated bundles): the model's own limits would refuse them anyway. */
const MAX_BLOB = 8 * 1024 * 1024;
const GIT_TIMEOUT_MS = 20_000;

let kept: { root: string; tree: HeadTree } | undefined;

function git(root: string, args: string[], input?: string): Buffer {
  return execFileSync('git', args, {
    cwd: root,
    input,
    maxBuffer: 512 * 1024 * 1024,
    timeout: GIT_TIMEOUT_MS,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
}

/** The blobs of `git cat-file --batch`'s answer, in request order. */
function batchBlobs(output: Buffer): Buffer[] {
  const blobs: Buffer[] = [];
  let at = 0;
  while (at < output.length) {
    const eol = output.indexOf(10, at);
    if (eol < 0) break;
    const header = output.subarray(at, eol).toString('utf8').split(' ');
    if (header[1] === 'missing' || header.length < 3) {
      blobs.push(Buffer.alloc(0));
      at = eol + 1;
      continue;
    }
    const size = Number(header[2]);
    blobs.push(output.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return blobs;
}

/**
 * The workspace folder `root` as of HEAD (paths relative to it, as the work tree's model has them),
 * or why it cannot be read (not a git repository, no commit yet, git missing).
 */
export function headTree(root: string): HeadTree | string {
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '-q', 'HEAD']).toString('utf8').trim();
  } catch {
    return 'the workspace is not a git repository with a commit (or git is not installed)';
  }
  if (kept && kept.root === root && kept.tree.commit === commit) return kept.tree;
  // Paths relative to root (ls-tree lists the current folder's subtree unless told otherwise).
  const listing = git(root, ['ls-tree', '-r', '-z', '-l', commit]).toString('utf8');
  const model = new RepoModel(root);
  const blobs = new Map<string, string>();
  const yaml: Array<{ path: string; sha: string }> = [];
  for (const entry of listing.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, sha, size] = entry.slice(0, tab).split(/ +/);
    const path = entry.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || SKIPPED.test(path)) continue;
    blobs.set(path, sha);
    if (isYamlPath(path) && Number(size) <= MAX_BLOB) yaml.push({ path, sha });
    else model.setFile(path, null);
  }
  if (yaml.length > 0) {
    const texts = batchBlobs(git(root, ['cat-file', '--batch'], yaml.map((y) => y.sha).join('\n') + '\n'));
    yaml.forEach((y, i) => model.setFile(y.path, (texts[i] ?? Buffer.alloc(0)).toString('utf8')));
  }
  const fromModel = modelBuildInput(model);
  const input: BuildInput = {
    ...fromModel,
    // Other files (generator inputs, JSON patches) from their blob, never from the work tree.
    readText: (path) => {
      const sha = blobs.get(path);
      if (sha === undefined) return undefined;
      const file = model.file(path);
      if (file) return file.text;
      try {
        return git(root, ['cat-file', 'blob', sha]).toString('utf8');
      } catch {
        return undefined;
      }
    },
    readBytes: (path) => {
      const sha = blobs.get(path);
      if (sha === undefined) return undefined;
      const file = model.file(path);
      if (file) return Buffer.from(file.text, 'utf8');
      try {
        return git(root, ['cat-file', 'blob', sha]);
      } catch {
        return undefined;
      }
    },
  };
  const tree = { commit, model, input };
  kept = { root, tree };
  return tree;
}
