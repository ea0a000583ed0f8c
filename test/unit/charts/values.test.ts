import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesce, mergeReleaseValues } from '../../../server/src/model/charts/values';
import { describeAt, fieldsAtPath } from '../../../server/src/schema/index';
import { valuesDisplayRoot, valuesDocumentation } from '../../../server/src/schema/values';

const VALUES = `# Replicas.
replicaCount: 1
image:
  # -- The repository.
  repository: nginx
  # Tag.
  tag: ""
resources:
  requests:
    cpu: 10m
podAnnotations: {}
`;

test("values.yaml is read with each key's comment, helm-docs markers removed; {} is a map without keys", () => {
  const doc = valuesDocumentation(VALUES)!;
  assert.equal(doc.children!.get('replicaCount')!.comment, 'Replicas.');
  assert.equal(doc.children!.get('image')!.children!.get('repository')!.comment, 'The repository.');
  assert.equal(doc.children!.get('podAnnotations')!.children!.size, 0);
  assert.equal(valuesDocumentation('a: [unclosed\n'), undefined);
});

test('without a schema the display schema is inferred: types, defaults, comments; {} is free-form', () => {
  const root = valuesDisplayRoot('x', VALUES, undefined);
  assert.deepEqual(describeAt(root, ['image', 'tag']), { type: 'string', description: 'Tag.', default: '' });
  assert.deepEqual(fieldsAtPath(root, ['image'])!.fields.map((f) => f.name), ['repository', 'tag']);
  assert.equal(describeAt(root, ['podAnnotations', 'any'])?.type, 'any');
});

test('a loose schema is completed with the keys of values.yaml; a strict one is not', () => {
  const loose = valuesDisplayRoot('x', VALUES, { type: 'object', properties: { replicaCount: { type: 'integer', description: 'From the schema.' } } });
  assert.deepEqual(describeAt(loose, ['replicaCount']), { type: 'integer', description: 'From the schema.', default: 1 });
  assert.deepEqual(fieldsAtPath(loose, ['resources', 'requests'])!.fields.map((f) => f.name), ['cpu']);
  const strict = valuesDisplayRoot('x', VALUES, { type: 'object', additionalProperties: false, properties: { replicaCount: { type: 'integer' } } });
  assert.deepEqual(fieldsAtPath(strict, [])!.fields.map((f) => f.name), ['replicaCount']);
});

test('values merge as helm-controller does: valuesFrom in order (valuesKey, targetPath), spec.values last, chart defaults under them', () => {
  const objects: Record<string, any> = {
    'ConfigMap/base': { data: { 'values.yaml': 'image:\n  tag: "1"\nreplicaCount: 3\n' } },
    'Secret/token': { data: { token: Buffer.from('s3cret').toString('base64') } },
    'Secret/sealed': { data: { 'values.yaml': 'ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]' } },
  };
  const spec = {
    valuesFrom: [
      { kind: 'ConfigMap', name: 'base' },
      { kind: 'Secret', name: 'token', valuesKey: 'token', targetPath: 'auth.token' },
      { kind: 'Secret', name: 'sealed' },
      { kind: 'Secret', name: 'elsewhere' },
    ],
    values: { image: { tag: '2' }, resources: null },
  };
  const merged = mergeReleaseValues(spec, { image: { repository: 'nginx', tag: '' }, replicaCount: 1, resources: { requests: {} } }, (kind, name) => (objects[`${kind}/${name}`] ? { object: objects[`${kind}/${name}`] } : undefined));
  assert.deepEqual(merged.values, { image: { tag: '2', repository: 'nginx' }, replicaCount: 3, auth: { token: 's3cret' } });
  assert.deepEqual(merged.unknown, [
    { index: 2, reason: 'Secret sealed is encrypted with SOPS' },
    { index: 3, reason: "Secret elsewhere is not found in the release's namespace and clusters" },
  ]);
  assert.deepEqual(merged.fromEntries.map((e) => e.index), [0, 1]);
});

test('coalesce: a supplied null removes the default, maps merge, anything else replaces', () => {
  assert.deepEqual(coalesce({ a: null, b: { c: 1 }, d: 'x' }, { a: 1, b: { e: 2 }, d: { f: 1 }, g: true }), { b: { c: 1, e: 2 }, d: 'x', g: true });
});
