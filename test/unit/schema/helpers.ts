import './setup-generated';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { SchemaProblem, ValidationResult } from '../../../server/src/schema/index';

/** Inline YAML: the common indentation is removed, so fixtures can sit indented in the test. */
export function doc(strings: TemplateStringsArray, ...values: unknown[]): any {
  return parse(dedent(String.raw({ raw: strings }, ...values)));
}

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export const FIXTURES = join(__dirname, '../../fixtures/schema');

export function fixtureDocs(name: string): any[] {
  return parseAllDocuments(readFileSync(join(FIXTURES, name), 'utf8')).map((d) => d.toJS());
}

/** `path.to.0.field (key): message` per problem, for compact exact assertions. */
export function render(result: ValidationResult): string[] {
  assert.ok(Array.isArray(result), `expected problems, got ${JSON.stringify(result)}`);
  return (result as SchemaProblem[]).map((p) => `${p.path.join('.')} (${p.target}): ${p.message}`);
}
