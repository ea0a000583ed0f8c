#!/usr/bin/env node
// Writes server/src/schema/generated/flux-crds.json (committed): the fallback schemas of Flux's own
// CRDs, used when a repository carries no gotk-components.yaml. The first file given is the newest
// Flux; versions it no longer serves are taken, without descriptions, from the older files after it.
// Usage: node scripts/gen-flux-crds.mjs <newest gotk-components.yaml> [older gotk-components.yaml ...]
//   e.g. ../shared/corpus/simplelumine__k8s-gitops@head/clusters/production/flux-system/gotk-components.yaml
//        ../shared/corpus/artazar__flux2-general/clusters/demo-000/flux-system/gotk-components.yaml
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/gen-flux-crds.mjs <gotk-components.yaml> [older ...]');
  process.exit(2);
}
const out = join(dirname(fileURLToPath(import.meta.url)), '../server/src/schema/generated/flux-crds.json');

const withoutDescriptions = (schema, key) => {
  if (Array.isArray(schema)) return schema.map((item) => withoutDescriptions(item));
  if (!schema || typeof schema !== 'object') return schema;
  const copy = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' && key !== 'properties') continue;
    copy[k] = withoutDescriptions(v, key === 'properties' ? undefined : k);
  }
  return copy;
};

const crds = new Map();
const sources = [];
files.forEach((file, index) => {
  const text = readFileSync(file, 'utf8');
  const flux = /# Flux Version: (\S+)/.exec(text)?.[1] ?? 'unknown';
  sources.push(flux);
  for (const doc of parseAllDocuments(text)) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const key = `${crd.spec.group}/${crd.spec.names.kind}`;
    let entry = crds.get(key);
    if (!entry) {
      entry = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: crd.metadata.name },
        spec: { group: crd.spec.group, names: { kind: crd.spec.names.kind }, versions: [] },
      };
      crds.set(key, entry);
    }
    for (const version of crd.spec.versions) {
      if (!version.served || entry.spec.versions.some((v) => v.name === version.name)) continue;
      const schema = version.schema?.openAPIV3Schema;
      entry.spec.versions.push({
        name: version.name,
        served: true,
        ...(version.deprecated ? { deprecated: true } : {}),
        ...(version.deprecationWarning ? { deprecationWarning: version.deprecationWarning } : {}),
        flux,
        schema: { openAPIV3Schema: index === 0 ? schema : withoutDescriptions(schema) },
      });
    }
  }
});

writeFileSync(out, JSON.stringify({ flux: sources, crds: [...crds.values()] }) + '\n');
console.log(`gen-flux-crds: ${crds.size} CRDs from Flux ${sources.join(', ')} → ${out}`);
