// Alias expansion in the SOPS reader is bounded (the fuzzer's seed 8 stalled on a SOPS file whose
// aliases expanded without end): over the budget the file is refused with a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUnencryptedValues } from '../../../server/src/sops/inspect';

const sopsBlock = 'sops:\n  mac: ENC[AES256_GCM,data:abc,iv:abc,tag:abc,type:str]\n  version: 3.9.0\n';

test('an alias bomb in a SOPS file is refused quickly, not expanded', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
  const text = lines.join('\n') + '\n' + sopsBlock;
  assert.throws(() => findUnencryptedValues(text, { filePath: 'bomb.sops.yaml' }), /aliases expand past 10000 nodes; the file is not read/);
});
// Aliases within the budget are read as sops reads them: test/unit/rules/secrets.test.ts (1,110 values).
