// The repository as of its last commit, read with git (no network, no work tree touched): the
// tree's files through `git ls-tree`, their text through `git cat-file`, as a RepoModel and a
// BuildInput, so the same render engine builds HEAD and the work tree alike.
import { spawn } from 'node:child_process';
import { modelBuildInput, type BuildInput } from './model/build';
import { RepoModel } from './model/model';
import { isYamlPath } from './model/parse';

export interface HeadTree {
  commit: string;
  model: RepoModel;
  /**
   * The model as a build's input; other files' text (generator inputs, JSON patches) as far as
   * it has been read from git: see readingHead.
   */
  input: BuildInput;
  /** Other files' text read so far (undefined: their blob could not be read). */
  texts: Map<string, Buffer | undefined>;
  /** Other files a build asked for that are not read yet. */
  wanted: Set<string>;
  /** Their blobs. */
  blobs: Map<string, string>;
  root: string;
}

/** Folders a workspace scan never reads (scan.ts), nor does this. */
const SKIPPED = /(^|\/)(\.git|node_modules|\.terraform)(\/|$)/;
/** Larger blobs are not read (generated bundles): the model's own limits would refuse them anyway. */
const MAX_BLOB = 8 * 1024 * 1024;
const MAX_OUTPUT = 512 * 1024 * 1024;
const GIT_TIMEOUT_MS = 20_000;

let kept: { root: string; commit: string; tree: Promise<HeadTree> } | undefined;

/**
 * Runs git without blocking the server's thread (it answers other requests meanwhile): its
 * output, or a rejection when it fails, runs past the timeout or writes more than MAX_OUTPUT.
 */
function git(root: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      windowsHide: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: Error | undefined;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill();
    };
    const timer = setTimeout(() => stop(new Error(`git ${args[0]} took longer than ${GIT_TIMEOUT_MS / 1000} s`)), GIT_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) stop(new Error(`git ${args[0]} wrote more than ${MAX_OUTPUT} bytes`));
      else chunks.push(chunk);
    });
    // Drained, never shown: it may name paths of the repository, nothing more.
    child.stderr.resume();
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(failure ?? error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`git ${args[0]} exited with ${code}`));
      else resolve(Buffer.concat(chunks));
    });
    // git may exit before reading all of it (a bad object name): that is its answer, not ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
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
 * or why it cannot be read (not a git repository, no commit yet, git missing). git runs as a
 * child process: the server goes on answering meanwhile.
 */
export async function headTree(root: string): Promise<HeadTree | string> {
  let commit: string;
  try {
    commit = (await git(root, ['rev-parse', '--verify', '-q', 'HEAD'])).toString('utf8').trim();
  } catch {
    return 'the workspace is not a git repository with a commit (or git is not installed)';
  }
  if (kept && kept.root === root && kept.commit === commit) return kept.tree;
  const tree = readTree(root, commit);
  kept = { root, commit, tree };
  // A failed read is not kept: the next request tries again.
  tree.catch(() => {
    if (kept?.tree === tree) kept = undefined;
  });
  try {
    return await tree;
  } catch (error) {
    return `git could not read HEAD (${(error as Error).message})`;
  }
}

async function readTree(root: string, commit: string): Promise<HeadTree> {
  // Paths relative to root (ls-tree lists the current folder's subtree unless told otherwise).
  const listing = (await git(root, ['ls-tree', '-r', '-z', '-l', commit])).toString('utf8');
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
    const texts = batchBlobs(await git(root, ['cat-file', '--batch'], yaml.map((y) => y.sha).join('\n') + '\n'));
    yaml.forEach((y, i) => model.setFile(y.path, (texts[i] ?? Buffer.alloc(0)).toString('utf8')));
  }
  const texts = new Map<string, Buffer | undefined>();
  const wanted = new Set<string>();
  const input: BuildInput = {
    ...modelBuildInput(model),
    // Other files (generator inputs, JSON patches) from their blob, never from the work tree; one
    // not read yet is asked for (readingHead reads it and builds again).
    readText: (path) => {
      if (!blobs.has(path)) return undefined;
      const file = model.file(path);
      if (file) return file.text;
      if (texts.has(path)) return texts.get(path)?.toString('utf8');
      wanted.add(path);
      return undefined;
    },
    readBytes: (path) => {
      const sha = blobs.get(path);
      if (sha === undefined) return undefined;
      const file = model.file(path);
      if (file) return Buffer.from(file.text, 'utf8');
      if (texts.has(path)) return texts.get(path);
      wanted.add(path);
      return undefined;
    },
  };
  return { commit, model, input, texts, wanted, blobs, root };
}

/**
 * What `build` makes of HEAD with every other file it reads: a build that asked for files not
 * read yet is run again once git has read them (all of them at once), until it asks for nothing new.
 */
export async function readingHead<T>(tree: HeadTree, build: () => T): Promise<T> {
  let result = build();
  for (let round = 0; round < 8 && tree.wanted.size > 0; round++) {
    const paths = [...tree.wanted].filter((p) => !tree.texts.has(p));
    tree.wanted.clear();
    if (paths.length === 0) break;
    let contents: Buffer[] = [];
    try {
      contents = batchBlobs(await git(tree.root, ['cat-file', '--batch'], paths.map((p) => tree.blobs.get(p)).join('\n') + '\n'));
    } catch {
      // Unread: the build says it cannot read them.
    }
    paths.forEach((p, i) => tree.texts.set(p, contents[i]));
    result = build();
  }
  return result;
}
