import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverLogLine } from '../../../client/src/logLevels';

test('a language client log line keeps its level and loses the prefix', () => {
  assert.deepEqual(serverLogLine('[Error - 10:02:03 AM] gitops-guardrails: indexing failed: EACCES'), { level: 'error', message: 'gitops-guardrails: indexing failed: EACCES' });
  assert.deepEqual(serverLogLine('[Warn  - 10:02:03] gitops-guardrails.rules: "loud" is not a severity'), { level: 'warn', message: 'gitops-guardrails.rules: "loud" is not a severity' });
  assert.deepEqual(serverLogLine('[Info  - 10:02:03] gitops-guardrails: indexed 40 YAML files in 812 ms'), { level: 'info', message: 'gitops-guardrails: indexed 40 YAML files in 812 ms' });
  assert.deepEqual(serverLogLine('[Debug - 10:02:03] x'), { level: 'debug', message: 'x' });
});

test('a line without the prefix (a stack, data) has no level of its own', () => {
  assert.deepEqual(serverLogLine('    at indexWorkspace (server.js:1:2)'), { message: '    at indexWorkspace (server.js:1:2)' });
  assert.deepEqual(serverLogLine('[Unknown - 10:00] x'), { message: '[Unknown - 10:00] x' });
});
