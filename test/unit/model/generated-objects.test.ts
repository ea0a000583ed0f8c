// The ConfigMaps and Secrets kustomize generates (configMapGenerator, secretGenerator) are among
// the objects each cluster applies (model/applied.ts), with kustomize's hash-suffixed name, their
// final namespace, and the generator entry as their place; references to them are renamed by the
// build, so they resolve against these objects. Rules that judge manifests' text (secrets) never
// judge a generated object: its values live in the kustomization's literals and files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definition } from '../../../server/src/features/definition';
import { clusterObjects } from '../../../server/src/model/applied';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, problems, repo } from '../../helpers/repo';

const deployment = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  selector:',
  '    matchLabels:',
  '      app: web',
  '  template:',
  '    metadata:',
  '      labels:',
  '        app: web',
  '    spec:',
  '      containers:',
  '        - name: app',
  '          image: nginx:1.27',
  '          resources:',
  '            requests:',
  '              cpu: 10m',
  '              memory: 16Mi',
  '          envFrom:',
  '            - configMapRef:',
  '                name: settings',
  '            - secretRef:',
  '                name: credentials',
  '',
].join('\n');

const kustomization = [
  'namespace: shop',
  'resources:',
  '  - ns.yaml',
  '  - web.yaml',
  'configMapGenerator:',
  '  - name: settings',
  '    literals:',
  '      - MODE=production',
  'secretGenerator:',
  '  - name: credentials',
  '    files:',
  '      - token.sops.yaml',
  '',
].join('\n');

const files = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  decryption:\n    provider: sops\n'),
  'apps/kustomization.yaml': kustomization,
  'apps/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
  'apps/web.yaml': deployment,
  // A SOPS-encrypted generator input: kustomize-controller decrypts it before the build.
  'apps/token.sops.yaml': 'token: ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  lastmodified: "2026-01-01T00:00:00Z"\n  version: 3.9.0\n',
  '.sops.yaml': 'creation_rules:\n  - path_regex: .*\\.sops\\.yaml$\n    age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\n',
};

test('generated ConfigMaps and Secrets are cluster objects: hashed name, final namespace, the generator entry as their place', () => {
  const model = repo(files);
  const objects = clusterObjects(model)[0].objects;
  const generated = objects.filter((o) => o.generated);
  assert.deepEqual(generated.map((o) => `${o.kind} ${o.namespace}/${o.name.replace(/-[a-z0-9]{10}$/, '-<hash>')}`).sort(), ['ConfigMap shop/settings-<hash>', 'Secret shop/credentials-<hash>']);
  const settings = generated.find((o) => o.kind === 'ConfigMap')!;
  assert.deepEqual(generated.map((o) => o.generated!.name).sort(), ['credentials', 'settings']);
  assert.equal(settings.object.data.MODE, 'production');
  assert.equal(settings.resource.file, 'apps/kustomization.yaml');
  // The place is the generator entry's name: `  - name: settings` on line 6.
  assert.deepEqual(settings.resource.range, { start: { line: 5, character: 10 }, end: { line: 5, character: 18 } });
  assert.deepEqual(model.rangeOf(settings.resource, ['metadata', 'name']), settings.resource.range);
  // The Deployment's references were renamed by the build: they resolve to the generated objects.
  const web = objects.find((o) => o.kind === 'Deployment')!;
  const refs = web.object.spec.template.spec.containers[0].envFrom.map((e: any) => (e.configMapRef ?? e.secretRef).name);
  assert.deepEqual(refs.map((name: string) => objects.filter((o) => o.name === name && o.namespace === 'shop').map((o) => o.kind)), [['ConfigMap'], ['Secret']]);
  // An unchanged rebuild keeps their identities (the budgets reuse what they derived).
  model.setFile('apps/web.yaml', deployment.replace('nginx:1.27', 'nginx:1.28'));
  const again = clusterObjects(model)[0].objects.filter((o) => o.generated);
  assert.deepEqual(again.map((o) => generated.includes(o)), [true, true]);
});

test('no rule reports a generated Secret or ConfigMap: its values come from the kustomization, an encrypted input is fine', () => {
  assert.deepEqual(problems(repo(files)).map((f) => `${f.rule} ${f.file} ${at(f)} ${f.message}`), []);
});

test('namespace/missing sees a namespace only a generator puts objects in, at the generator entry', () => {
  const only = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': 'configMapGenerator:\n  - name: report\n    namespace: reports\n    literals:\n      - A=b\n',
  });
  assert.deepEqual(check(only, 'namespace/missing').map((f) => `${f.file} ${at(f)} ${f.message}`), [
    'apps/kustomization.yaml 2:11-2:17 Component apps puts ConfigMap report-' +
      clusterObjects(only)[0].objects.find((o) => o.generated)!.name.slice('report-'.length) +
      ' in namespace reports, but nothing prod applies declares it (no Namespace object, no HelmRelease with install.createNamespace): the apply fails with namespaces "reports" not found.',
  ]);
  const declared = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': 'resources:\n  - ns.yaml\nconfigMapGenerator:\n  - name: report\n    namespace: reports\n    literals:\n      - A=b\n', 'apps/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: reports\n',
  });
  assert.deepEqual(check(declared, 'namespace/missing'), []);
});

test('go to definition from a reference to a generated ConfigMap or Secret lands on its generator entry', () => {
  const model = repo(files);
  const lines = files['apps/web.yaml'].split('\n');
  const at = (text: string) => {
    const line = lines.findIndex((l) => l.includes(text));
    return { line, character: lines[line].indexOf(text) + 1 };
  };
  const target = (text: string) => definition(model, 'apps/web.yaml', at(text)).map((l) => `${l.uri.replace(/^.*\/repo\//, '')} ${l.range.start.line + 1}:${l.range.start.character + 1}`);
  // Before: nothing (generated objects were not known); now the entry's name in the kustomization.
  assert.deepEqual(target('settings'), ['apps/kustomization.yaml 6:11']);
  assert.deepEqual(target('credentials'), ['apps/kustomization.yaml 10:11']);
});
