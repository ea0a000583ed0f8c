// The injection grammar tokenises ENC[...] values and the sops: block (run through vscode-textmate,
// the engine VS Code itself uses, with the grammar as the root so no YAML grammar is needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar } from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '../../..');

async function tokenizer() {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => parseRawGrammar(readFileSync(path.join(ROOT, 'syntaxes/sops.injection.tmLanguage.json'), 'utf8'), 'sops.json'),
  });
  const grammar = (await registry.loadGrammar('sops.injection.yaml'))!;
  return (lines: string[]) => {
    let state = INITIAL;
    return lines.map((line) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  };
}

test('ENC[...] values get their parts scoped, and the sops: block is marked as metadata', async () => {
  const tokenize = await tokenizer();
  const [value, , sopsKey, inside, after] = tokenize([
    '    password: ENC[AES256_GCM,data:3q2+7w==,iv:AAECAw==,tag:BAUGBw==,type:str]',
    'kind: Secret',
    'sops:',
    '    lastmodified: "2026-11-26T08:00:00Z"',
    'other: value',
  ]);
  const scopeOf = (tokens: { text: string; scopes: string[] }[], text: string) => tokens.find((t) => t.text === text)?.scopes.at(-1);
  assert.equal(scopeOf(value, 'ENC'), 'keyword.other.sops.enc');
  assert.equal(scopeOf(value, '3q2+7w=='), 'string.unquoted.sops.ciphertext');
  assert.equal(scopeOf(value, 'str'), 'storage.type.sops.value-type');
  assert.equal(scopeOf(sopsKey, 'sops'), 'comment.block.sops.metadata-key');
  assert.ok(inside.every((t) => t.scopes.includes('comment.block.sops.metadata')));
  assert.ok(after.every((t) => !t.scopes.includes('comment.block.sops.metadata')));
});
