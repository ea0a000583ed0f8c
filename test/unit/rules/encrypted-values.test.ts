// Class 5 of issue 13: an ENC[...] value of a SOPS file is ciphertext, never a name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';
import { identifierOf, isEncryptedValue } from '../../../server/src/model/values';

const ENC = (data: string) => `ENC[AES256_GCM,data:${data},iv:AAAAAAAAAAAAAAAAAAAAAA==,tag:BBBBBBBBBBBBBBBBBBBBBB==,type:str]`;
const SOPS = yaml`
  sops:
    age:
      - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
        enc: x
    lastmodified: "2026-01-01T00:00:00Z"
    mac: ${ENC('bWFj')}
    version: 3.9.0
`;

const base = {
  'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
  'clusters/production/apps.yaml': fluxKs('shop', './apps/shop', '  decryption:\n    provider: sops\n'),
  'apps/shop/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - secret.sops.yaml\n',
};

test('an ENC[...] value is never an identifier', () => {
  assert.equal(isEncryptedValue(ENC('c2hvcA==')), true);
  assert.equal(isEncryptedValue('ENC is not a namespace'), false);
  assert.equal(identifierOf(ENC('c2hvcA==')), undefined);
  assert.equal(identifierOf('shop'), 'shop');
  assert.equal(identifierOf(3), '3');
});

test('namespace/missing is quiet on a SOPS Secret whose metadata (or whole file) is encrypted', () => {
  const metadataEncrypted = repo({
    ...base,
    'apps/shop/secret.sops.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${ENC('YXBp')}\n  namespace: ${ENC('c2hvcA==')}\nstringData:\n  token: ${ENC('dG9r')}\n${SOPS}`,
  });
  const model = metadataEncrypted;
  assert.deepEqual(model.file('apps/shop/secret.sops.yaml')!.resources.map((r) => [r.kind, r.name, r.namespace]), [['Secret', '', undefined]]);
  assert.deepEqual(check(model, 'namespace/missing'), []);
  const wholeFile = repo({
    ...base,
    'apps/shop/secret.sops.yaml': `apiVersion: ${ENC('djE=')}\nkind: ${ENC('U2VjcmV0')}\nmetadata:\n  name: ${ENC('YXBp')}\n  namespace: ${ENC('c2hvcA==')}\nstringData:\n  token: ${ENC('dG9r')}\n${SOPS}`,
  });
  assert.deepEqual(wholeFile.file('apps/shop/secret.sops.yaml')!.resources, []);
  assert.deepEqual(check(wholeFile, 'namespace/missing'), []);
  // An encrypted kustomize namespace is no namespace either.
  const kustomizeEncrypted = repo({
    ...base,
    'apps/shop/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${ENC('c2hvcA==')}\nresources:\n  - secret.sops.yaml\n`,
    'apps/shop/secret.sops.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  token: ${ENC('dG9r')}\n${SOPS}`,
  });
  assert.equal(kustomizeEncrypted.graph.kustomizeDirs.get('apps/shop')!.namespace, undefined);
  assert.deepEqual(check(kustomizeEncrypted, 'namespace/missing').map((f) => f.message).filter((m) => m.includes('ENC[')), []);
});

test('namespace/missing still fires on the same Secret with its namespace in clear', () => {
  const model = repo({
    ...base,
    'apps/shop/secret.sops.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: shop\nstringData:\n  token: ${ENC('dG9r')}\n${SOPS}`,
  });
  const [f, ...rest] = check(model, 'namespace/missing');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/shop/secret.sops.yaml');
  assert.equal(at(f), '5:14-5:18');
  assert.equal(f.message, 'Component shop puts Secret api in namespace shop, but nothing production applies declares it (no Namespace object, no HelmRelease with install.createNamespace): the apply fails with namespaces "shop" not found.');
});
