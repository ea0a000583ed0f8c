// What the bundles hold: the extension activates without ELK, which it loads from dist/elk.js only
// when the dependency graph opens (esbuild.mjs bundles it apart).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const DIST = path.resolve(__dirname, '../../dist');

test('dist/extension.js leaves ELK out and requires dist/elk.js, which lays out a graph', async () => {
  const extension = readFileSync(path.join(DIST, 'extension.js'), 'utf8');
  assert.equal(extension.includes('org.eclipse.elk'), false, 'ELK is bundled into the extension');
  assert.match(extension, /require\("\.\/elk\.js"\)/);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ELK = require(path.join(DIST, 'elk.js'));
  const laidOut = await new ELK().layout({ id: 'root', children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] });
  assert.equal(laidOut.children.length, 2);
  assert.ok(laidOut.children.every((c: { x?: number }) => typeof c.x === 'number'));
});
