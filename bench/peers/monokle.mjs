// @monokle/validation on a repository, as a process of its own: every YAML file read, each
// document a resource (what Monokle's own tools hand the validator), then one validate() with
// the offline core plugins (kubernetes-schema is left out: it fetches its schemas over the network).
// Usage: node bench/peers/monokle.mjs ROOT LIST_FILE. Prints the number of results.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createDefaultMonokleValidator } from '@monokle/validation';

export const MONOKLE_PLUGINS = { 'yaml-syntax': true, 'resource-links': true, 'pod-security-standards': true, practices: true };

const [root, list] = process.argv.slice(2);
const resources = [];
for (const filePath of readFileSync(list, 'utf8').split('\n')) {
  if (!filePath) continue;
  const text = readFileSync(path.join(root, filePath), 'utf8');
  parseAllDocuments(text).forEach((doc, index) => {
    const content = doc.toJS();
    if (!content || typeof content !== 'object' || typeof content.kind !== 'string') return;
    const [start, , end] = doc.range;
    resources.push({
      id: `${filePath}#${index}`,
      fileId: filePath,
      filePath,
      fileOffset: start,
      name: content.metadata?.name ?? '',
      apiVersion: String(content.apiVersion ?? ''),
      kind: content.kind,
      namespace: content.metadata?.namespace,
      content,
      text: text.slice(start, end),
    });
  });
}
const validator = createDefaultMonokleValidator();
await validator.preload({ plugins: MONOKLE_PLUGINS });
const response = await validator.validate({ resources });
const results = response.runs.reduce((n, run) => n + run.results.length, 0);
process.stdout.write(`${resources.length} resources, ${results} results\n`);
