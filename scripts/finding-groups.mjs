#!/usr/bin/env node
// Lists, per rule, the largest groups of findings that share one cause, so a rule that says the
// same thing many times over (one cause, many findings) shows up: findings grouped by the first
// related location, by file, by exact message, and by the message with its names and numbers
// blanked. Runs the built CLI (`npm run build` first) on each repository folder given.
// Usage: node scripts/finding-groups.mjs [--min N] REPO_DIR...   (a folder of repositories: REPO_DIR/*)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const args = process.argv.slice(2);
let min = 6;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--min') min = Number(args[++i]);
  else dirs.push(args[i]);
}
if (dirs.length === 0 || !Number.isFinite(min)) {
  console.error('usage: node scripts/finding-groups.mjs [--min N] REPO_DIR...');
  process.exit(2);
}
const repos = dirs.flatMap((d) =>
  existsSync(join(d, '.git')) || !readdirSync(d).some((e) => statSync(join(d, e)).isDirectory() && existsSync(join(d, e, '.git')))
    ? [d]
    : readdirSync(d).map((e) => join(d, e)).filter((e) => statSync(e).isDirectory()),
);

const keys = {
  related: (f) => (f.related?.[0] ? `${f.related[0].file}:${f.related[0].line}` : undefined),
  file: (f) => f.file,
  message: (f) => f.message,
  pattern: (f) =>
    f.message
      .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, 'Q')
      .replace(/\b([A-Z][A-Za-z]+) [^\s:,()]+/g, '$1 X')
      .replace(/[\w.\/${}-]*\d[\w.\/${}-]*/g, 'N'),
};

const rows = [];
for (const repo of repos) {
  const run = spawnSync(process.execPath, [cli, 'check', repo, '--format', 'json', '--no-cache'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  let findings;
  try {
    findings = JSON.parse(run.stdout).findings;
  } catch {
    console.error(`${basename(repo)}: no JSON (exit ${run.status}) ${run.stderr.slice(0, 200)}`);
    continue;
  }
  const byRule = new Map();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  for (const [rule, list] of byRule) {
    for (const [by, key] of Object.entries(keys)) {
      const groups = new Map();
      for (const f of list) {
        const k = key(f);
        if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), f]);
      }
      const [k, largest] = [...groups].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
      if (largest && largest.length >= min) rows.push({ repo: basename(repo), rule, by, n: largest.length, severity: largest[0].severity, key: k, example: largest[0] });
    }
  }
}
rows.sort((a, b) => a.rule.localeCompare(b.rule) || b.n - a.n);
for (const r of rows) {
  console.log(`${r.rule} ${r.n} ${r.severity} by ${r.by} in ${r.repo}: ${r.key.slice(0, 120)}`);
  console.log(`    e.g. ${r.example.file}:${r.example.line} ${r.example.message.slice(0, 200)}`);
}
