// A large document opened and closed leaves nothing behind: the session (what the language server
// keeps) returns to its live heap from before, within a bound relative to the document's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CheckSession } from '../../../server/src/session';

// The same as --expose-gc, for this test file only.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** ConfigMaps listed by the podinfo kustomization of the example, about `bytes` long. */
function manyConfigMaps(bytes: number, tag: string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const doc = `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: podinfo\ndata:\n  key: "${tag}${'x'.repeat(200)}"\n`;
    parts.push(doc);
    size += doc.length;
  }
  return parts.join('');
}

test('closing a large document releases its text and ASTs (live heap back near the baseline)', { timeout: 300_000 }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gg-memory-'));
  try {
    cpSync(path.resolve(__dirname, '../../../examples/layered-repo'), root, { recursive: true });
    const file = 'environments/apps/podinfo/big.yaml';
    writeFileSync(path.join(root, file), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: small\n');
    const kustomization = path.join(root, 'environments/apps/podinfo/kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('resources:\n', 'resources:\n  - big.yaml\n'));
    const session = await CheckSession.open(root);
    session.recheck();
    // What the server does: didOpen/didChange set the buffer's text, didClose reloads the file.
    const openAndClose = async (text: string) => {
      session.setText(file, text);
      session.recheck();
      await session.reload(file);
      session.recheck();
    };
    // Warm up the lazily built parts (schemas, rule tables) with a small version.
    await openAndClose(manyConfigMaps(20_000, 'warm'));
    const baseline = liveHeap();
    const size = 2_000_000;
    for (let round = 0; round < 2; round++) await openAndClose(manyConfigMaps(size, `r${round}`));
    const retained = liveHeap() - baseline;
    // Kept, the document's parse is about 20 times its size; released, the heap is where it was.
    assert.ok(retained < 3 * size, `${(retained / 1e6).toFixed(1)} MB still live after closing a ${size / 1e6} MB document`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
