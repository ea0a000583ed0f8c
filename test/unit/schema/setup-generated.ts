// The built-in schemas are written at build time (scripts/gen-k8s-schemas.mjs, gitignored); a test
// run straight after a fresh checkout writes them first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
if (!existsSync(join(root, 'server/src/schema/generated/validators.js'))) {
  execFileSync(process.execPath, [join(root, 'scripts/gen-k8s-schemas.mjs')], { stdio: 'inherit' });
}
if (!existsSync(join(root, 'server/src/schema/generated/crd-snapshot.json'))) {
  execFileSync(process.execPath, [join(root, 'scripts/gen-crd-snapshot.mjs')], { stdio: 'inherit' });
}
