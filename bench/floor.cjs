// The floor, as a process of its own: one thread reads every YAML file of a list and parses it
// with yaml's parseAllDocuments, nothing kept. Usage: node bench/floor.cjs ROOT LIST_FILE
// (LIST_FILE: one repository-relative path a line, in the model's order). Prints the document count.
'use strict';
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { parseAllDocuments } = require('yaml');
const [root, list] = process.argv.slice(2);
let documents = 0;
for (const file of readFileSync(list, 'utf8').split('\n')) {
  if (!file) continue;
  documents += parseAllDocuments(readFileSync(path.join(root, file), 'utf8')).length;
}
process.stdout.write(`${documents}\n`);
