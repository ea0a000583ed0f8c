// RepoModel.load with parse workers (model/parse-pool.ts) builds the same model as on the main
// thread; worker-parsed files parse their documents only when asked, with the same ranges; a
// worker that cannot start, throws or exits mid-way loses no file and never hangs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { runChecks } from '../../../server/src/check';
import { RepoModel, type LoadOptions } from '../../../server/src/model/model';
import { stopIdleParseWorkers } from '../../../server/src/model/parse-pool';
import { visit, type Document } from 'yaml';
import { documentsParsed, isYamlPath, parseYamlFile, withLazyDocuments, withoutDocuments } from '../../../server/src/model/parse';
import { scanWorkspace } from '../../../server/src/model/scan';
import type { NodePath, YamlFile } from '../../../server/src/model/types';
import { RULE_IDS } from '../../../server/src/rules';

const EXAMPLE = path.resolve(__dirname, '../../../examples/layered-repo');
const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');
const skipCorpus = existsSync(CORPUS) ? false : `../shared/corpus is absent (${CORPUS})`;
/** Small and large enough for several batches; SOPS-encrypted files in the first. */
const CORPUS_REPOS = ['simplelumine__k8s-gitops@head', 'onedr0p__home-ops'];
const TIMEOUT = 120_000;

const load = (root: string, options: LoadOptions) => RepoModel.load(root, RULE_IDS, undefined, options);

/** Everything a file holds but its documents. */
function fileData(file: YamlFile) {
  return { path: file.path, text: file.text, lineStarts: file.lineStarts, resources: file.resources, syntaxErrors: file.syntaxErrors, sopsEncrypted: file.sopsEncrypted };
}

function assertSameFiles(actual: RepoModel, expected: RepoModel): void {
  assert.deepEqual([...actual.files.keys()], [...expected.files.keys()], 'YAML files, in the same order');
  assert.deepEqual(actual.folders, expected.folders);
  for (const folder of ['', ...expected.folders]) assert.deepEqual(actual.children(folder), expected.children(folder), folder);
  for (const [filePath, file] of expected.files) assert.deepStrictEqual(fileData(actual.file(filePath)!), fileData(file), filePath);
}

const PATHS: [NodePath, 'key' | 'value'][] = [
  [['metadata', 'name'], 'value'],
  [['kind'], 'key'],
  [['spec'], 'value'],
  [['spec', 'dependsOn', 0, 'name'], 'value'],
  [['metadata', 'nope', 'deeper'], 'value'],
];

function ranges(model: RepoModel) {
  return [...model.resources()].flatMap((r) => PATHS.map(([p, target]) => model.rangeOf(r, p, target)));
}

/** Every file given to setFile, which parses and keeps its documents (as an edit does). */
async function eagerModel(root: string): Promise<RepoModel> {
  const model = new RepoModel(root, RULE_IDS);
  for (const file of (await scanWorkspace(root)).files) model.setFile(file, isYamlPath(file) ? readFileSync(path.join(root, file), 'utf8') : null);
  return model;
}

async function assertWorkersMatch(root: string): Promise<void> {
  const inThread = await load(root, { parseWorkers: 0 });
  const inWorkers = await load(root, { parseWorkers: 2 });
  const eager = await eagerModel(root);
  assertSameFiles(inWorkers, inThread);
  assertSameFiles(inThread, eager);
  assert.ok([...eager.files.values()].every(documentsParsed));
  // A load keeps no document trees, on the main thread as in the workers: each is parsed when asked for.
  assert.ok([...inThread.files.values()].every((f) => !documentsParsed(f)), 'files loaded on the main thread have no documents yet');
  assert.ok([...inWorkers.files.values()].every((f) => !documentsParsed(f)), 'worker-parsed files have no documents yet');
  assert.deepEqual(ranges(inWorkers), ranges(eager));
  assert.deepEqual(ranges(inThread), ranges(eager));
  const findings = runChecks(eager);
  assert.deepEqual(runChecks(inWorkers), findings);
  assert.deepEqual(runChecks(inThread), findings);
}

test('a model parsed by two workers equals one parsed on the main thread: the example repository', { timeout: TIMEOUT }, async () => {
  await assertWorkersMatch(EXAMPLE);
});

for (const repo of CORPUS_REPOS) {
  test(`a model parsed by two workers equals one parsed on the main thread: ${repo}`, { skip: skipCorpus, timeout: TIMEOUT }, async () => {
    await assertWorkersMatch(path.join(CORPUS, repo));
  });
}

test('documents are parsed on first access, once, with the ranges of an eager parse', async () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: a # a comment',
    'data:',
    '  key: "value"',
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata: { name: b, namespace: c }',
    'stringData:',
    '  x: [1, 2',
    '---',
    'just: text',
    '',
  ].join('\n');
  const eager = parseYamlFile('apps/cm.yaml', text);
  const lazy = withLazyDocuments(structuredClone(withoutDocuments(parseYamlFile('apps/cm.yaml', text))));
  assert.equal(documentsParsed(lazy), false);
  assert.deepStrictEqual(fileData(lazy), fileData(eager));
  const documents = lazy.documents;
  assert.equal(documentsParsed(lazy), true);
  assert.equal(lazy.documents, documents, 'kept on the file');
  assert.equal(documents.length, eager.documents.length);
  documents.forEach((doc, i) => {
    assert.deepEqual(doc.range, eager.documents[i].range);
    assert.deepEqual(doc.errors.map((e) => [e.code, e.pos]), eager.documents[i].errors.map((e) => [e.code, e.pos]));
    assert.deepEqual(doc.toJS(), eager.documents[i].toJS());
  });
});

test('a worker-parsed model parses only the documents something asks for', { timeout: TIMEOUT }, async () => {
  const model = await load(EXAMPLE, { parseWorkers: 2 });
  const resource = [...model.resources()].find((r) => r.kind === 'Kustomization' && r.apiVersion.startsWith('kustomize.toolkit'))!;
  model.rangeOf(resource, ['spec', 'path']);
  assert.deepEqual([...model.files.values()].filter(documentsParsed).map((f) => f.path), [resource.file]);
});

/** Writes worker scripts that fail in different ways; returns their paths. */
function failingScripts(dir: string): Record<string, string> {
  const worker = path.resolve(__dirname, '../../../server/src/model/parse-worker.ts');
  const tsx = createRequire(worker).resolve('tsx/cjs');
  const scripts = {
    'a missing script': path.join(dir, 'missing.js'),
    'a script that throws on start': path.join(dir, 'throws.js'),
    'a worker that exits on its third batch': path.join(dir, 'exits.js'),
  };
  writeFileSync(scripts['a script that throws on start'], "throw new Error('parse worker test: boom');\n");
  writeFileSync(
    scripts['a worker that exits on its third batch'],
    [
      "const { parentPort } = require('node:worker_threads');",
      'let batches = 0;',
      // Registered before the real worker's listener, so it runs first.
      'parentPort.on("message", () => { if (++batches === 3) process.exit(1); });',
      `require(${JSON.stringify(tsx)});`,
      `require(${JSON.stringify(worker)});`,
      '',
    ].join('\n'),
  );
  return scripts;
}

test('a worker that fails to start, throws or exits mid-way loses no file and does not hang', { timeout: TIMEOUT }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-parse-workers-'));
  try {
    const roots = [EXAMPLE, ...(skipCorpus ? [] : [path.join(CORPUS, 'onedr0p__home-ops')])];
    for (const root of roots) {
      const expected = await load(root, { parseWorkers: 0 });
      for (const [what, script] of Object.entries(failingScripts(dir))) {
        const model = await load(root, { parseWorkers: 2, parseWorkerScript: script });
        assert.deepEqual([...model.files.keys()], [...expected.files.keys()], `${what}, ${path.basename(root)}`);
        assertSameFiles(model, expected);
        // Files parsed by a worker are lazy, those parsed on the main thread are not.
        const byWorkers = [...model.files.values()].filter((f) => !documentsParsed(f)).length;
        if (script.endsWith('exits.js') && root !== EXAMPLE) assert.ok(byWorkers > 0 && byWorkers < model.files.size, `${byWorkers} of ${model.files.size} by workers`);
        else if (!script.endsWith('exits.js')) assert.equal(byWorkers, 0);
        assert.deepEqual(ranges(model), ranges(expected));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('progress is reported with workers, ending with every file', { timeout: TIMEOUT }, async () => {
  const calls: [number, number][] = [];
  await RepoModel.load(EXAMPLE, RULE_IDS, (done, total) => calls.push([done, total]), { parseWorkers: 2 });
  const total = calls[calls.length - 1][1];
  assert.deepEqual(calls[calls.length - 1], [total, total]);
  assert.ok(calls.every(([done], i) => i === 0 || done >= calls[i - 1][0]));
});

/** Every node's range and value in visiting order: what positions.ts and the edits read. */
function nodeRanges(doc: Document.Parsed | undefined): unknown[] {
  if (!doc) return ['no document'];
  const ranges: unknown[] = [doc.range];
  visit(doc, { Node: (_, node) => void ranges.push([node.range, (node as { value?: unknown }).value instanceof Object ? '' : (node as { value?: unknown }).value]) });
  return ranges;
}

/** Multi-document files: each document parsed alone from its slice equals the eager parse's. */
function assertSameDocuments(filePath: string, text: string): void {
  const eager = parseYamlFile(filePath, text);
  const lazy = withLazyDocuments(structuredClone(withoutDocuments(eager)));
  assert.equal(lazy.documents.length, eager.documents.length, filePath);
  // From the last document backwards: a document is parsed without those before it.
  for (let i = eager.documents.length - 1; i >= 0; i--) {
    assert.deepEqual(nodeRanges(lazy.documents[i]), nodeRanges(eager.documents[i]), `${filePath} document ${i}`);
    assert.deepEqual(lazy.documents[i]?.toJS(), eager.documents[i].toJS(), `${filePath} document ${i}`);
  }
  assert.deepEqual([...lazy.documents].map((d) => d.range), eager.documents.map((d) => d.range), `${filePath}: iteration`);
}

test('each document of a multi-document file is parsed alone, with the ranges of a parse of the whole file', () => {
  const texts: Record<string, string> = {
    'plain.yaml': 'a: 1\n---\nb: 2\n---\nc: [3]\n',
    'comments.yaml': '# head\na: 1 # one\n\n# before the marker\n---\n# inside\nb:\n  - x\n  - y # tail\n---\n\n\nc: |\n  text\n  more\n',
    'anchors.yaml': 'base: &b { x: 1 }\n---\nuse: &u\n  y: 2\nagain: *u\n---\n"quoted": \'single\'\n',
    'markers.yaml': '%YAML 1.2\n---\na: 1\n...\n---\nb: 2\n...\n',
    'empty.yaml': '---\n---\na: 1\n---\n',
    'broken.yaml': 'a: 1\n---\nb: [2\n---\nc: 3\n',
  };
  for (const [name, text] of Object.entries(texts)) assertSameDocuments(name, text);
});

test('multi-document files of the corpus and the example parse alone as in the whole file', { skip: skipCorpus }, async () => {
  const { scanWorkspace } = await import('../../../server/src/model/scan');
  const { readFileSync } = await import('node:fs');
  let checked = 0;
  for (const root of [EXAMPLE, ...CORPUS_REPOS.map((r) => path.join(CORPUS, r))]) {
    for (const file of (await scanWorkspace(root)).files) {
      if (!/\.ya?ml$/.test(file)) continue;
      const text = readFileSync(path.join(root, file), 'utf8');
      if (!/^---/m.test(text)) continue;
      assertSameDocuments(file, text);
      checked++;
    }
  }
  assert.ok(checked > 10, `${checked} multi-document files checked`);
});

test('stopIdleParseWorkers ends an idle pool at once: the next load starts new workers, which a load without it reuses', { timeout: TIMEOUT }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-parse-workers-'));
  try {
    const worker = path.resolve(__dirname, '../../../server/src/model/parse-worker.ts');
    const tsx = createRequire(worker).resolve('tsx/cjs');
    const starts = path.join(dir, 'starts');
    const script = path.join(dir, 'counting.js');
    // Each worker that starts writes a character (the real worker then parses).
    writeFileSync(script, [`require('node:fs').appendFileSync(${JSON.stringify(starts)}, 'x');`, `require(${JSON.stringify(tsx)});`, `require(${JSON.stringify(worker)});`, ''].join('\n'));
    const started = () => (existsSync(starts) ? readFileSync(starts, 'utf8').length : 0);
    const expected = await load(EXAMPLE, { parseWorkers: 0 });
    assertSameFiles(await load(EXAMPLE, { parseWorkers: 2, parseWorkerScript: script }), expected);
    assert.equal(started(), 2);
    // Idle (not stopped): the same two workers parse the next load.
    assertSameFiles(await load(EXAMPLE, { parseWorkers: 2, parseWorkerScript: script }), expected);
    assert.equal(started(), 2);
    stopIdleParseWorkers();
    assertSameFiles(await load(EXAMPLE, { parseWorkers: 2, parseWorkerScript: script }), expected);
    assert.equal(started(), 4);
    stopIdleParseWorkers();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
