/** Go RE2 syntax from .sops.yaml is translated to JavaScript, or rejected with a clear message. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SopsError, translateGoRegex } from '../../../server/src/sops/index';

const matches = (re: string, input: string) => translateGoRegex(re).test(input);

describe('Go regex translation', () => {
  test('the common subset passes through, unanchored like regexp.Match', () => {
    assert.equal(matches('.*\\.(yaml|ini|json)$', 'dir/a.yaml'), true);
    assert.equal(matches('secret', 'my-secret-file'), true);
    assert.equal(matches('^(data|stringData)$', 'metadata'), false);
  });

  test('(?i) and other leading flags', () => {
    assert.equal(matches('(?i)^password$', 'PassWord'), true);
    assert.equal(matches('^password$', 'PassWord'), false);
    assert.equal(matches('(?s)a.b', 'a\nb'), true);
    assert.equal(matches('(?m)^b$', 'a\nb\nc'), true);
  });

  test('\\A and \\z anchor the whole text, also with (?m)', () => {
    assert.equal(matches('\\Asecrets/.*\\.yaml\\z', 'secrets/db.yaml'), true);
    assert.equal(matches('\\.yaml\\z', 'a.yaml\n'), false);
    assert.equal(matches('(?m)\\Ab', 'a\nb'), false);
    assert.equal(matches('(?m)a\\z', 'a\nb'), false);
    assert.equal(matches('(?m)a$', 'a\nb'), true);
  });

  test('(?P<name>…) named groups', () => {
    const re = translateGoRegex('(?P<env>prod|dev)/secrets');
    assert.equal(re.exec('clusters/prod/secrets')?.groups?.env, 'prod');
  });

  test('POSIX classes, \\Q…\\E literals, \\x{…} and RE2 \\s', () => {
    assert.equal(matches('^[[:alpha:]]+[[:digit:]]$', 'abc1'), true);
    assert.equal(matches('^[[:alpha:]]+$', 'ab1'), false);
    assert.equal(matches('\\Qa.b\\E', 'a.b'), true);
    assert.equal(matches('\\Qa.b\\E', 'axb'), false);
    assert.equal(matches('\\x{e9}t\\x{e9}', 'été'), true);
    assert.equal(matches('^a\\sb$', 'a\u00a0b'), false, 'RE2 \\s is ASCII whitespace only');
  });

  for (const [source, reason] of [
    ['(?U)a+', 'the (?U) ungreedy flag has no JavaScript equivalent'],
    ['a(?i)b', 'inline flags are only supported at the very start, e.g. (?i)…'],
    ['(?=a)b', 'lookaround assertions are not RE2 syntax'],
    ['(a)\\1', 'backreferences are not RE2 syntax'],
    ['[[:nope:]]', 'unknown POSIX character class'],
    ['[a-', 'missing closing ]'],
  ] as const) {
    test(`rejects ${source}`, () => {
      assert.throws(
        () => translateGoRegex(source),
        (e: unknown) => e instanceof SopsError && e.code === 'REGEX' && e.message === `unsupported Go regular expression ${JSON.stringify(source)}: ${reason}`,
      );
    });
  }
});
