// The README's rule table and rule sections stay true: every rule has a row and a section, and
// the table names no rule that does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS, RULES } from '../../server/src/rules';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

test('every rule has a row in the README table and a section of its own', () => {
  for (const rule of RULES) {
    assert.ok(README.includes(`| \`${rule.id}\` |`), `no table row for ${rule.id}`);
    assert.ok(README.includes(`### ${rule.id}\n`), `no section for ${rule.id}`);
  }
});

test('the README table names only rules that exist', () => {
  const rows = [...README.matchAll(/^\| `([a-z]+\/[a-z-]+)` \|/gm)].map((m) => m[1]);
  assert.ok(rows.length >= RULES.length);
  for (const id of rows) assert.ok(RULE_IDS.has(id), `${id} is in the README but not a rule`);
});
