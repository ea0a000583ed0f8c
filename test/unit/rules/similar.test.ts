import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repo } from '../../helpers/repo';
import { closestFile, closestFolder } from '../../../server/src/rules/similar';

const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

test('closestFolder: least distance, the same last segment first, then the shortest, then the first in the tree', () => {
  const model = repo({
    'apps/web-a/cm.yaml': cm,
    'apps/web-b/cm.yaml': cm,
    'apps/webapp/cm.yaml': cm,
    'apps/other/deep/er/still/web-c/cm.yaml': cm,
    'infra/web-c/cm.yaml': cm,
    'docs/readme.md': '# no manifests',
  });
  // web-a and web-b tie (one edit, another last segment): the first in the tree wins.
  assert.equal(closestFolder(model, 'apps/web-c'), 'apps/web-a');
  // The same last segment costs one less: infra/web-c is 5 edits away but scores 5; apps/web-a scores 2.
  assert.equal(closestFolder(model, 'apps/web-x'), 'apps/web-a');
  assert.equal(closestFolder(model, 'infra/web-d'), 'infra/web-c');
  // Too far: nothing.
  assert.equal(closestFolder(model, 'something/else/entirely'), undefined);
  // A folder without manifests is not suggested.
  assert.equal(closestFolder(model, 'docz'), undefined);
});

test('closestFile: the nearest name beside the missing one, files before folders, the first on ties', () => {
  const model = repo({
    'app/a.yaml': cm,
    'app/b.yaml': cm,
    'app/deploy.yaml': cm,
    'app/deploy/cm.yaml': cm,
  });
  assert.equal(closestFile(model, 'app/c.yaml'), 'app/a.yaml');
  assert.equal(closestFile(model, 'app/deploy.yml'), 'app/deploy.yaml');
  assert.equal(closestFile(model, 'app/deplo'), 'app/deploy');
  assert.equal(closestFile(model, 'app/unrelated-name.yaml'), undefined);
  assert.equal(closestFile(model, 'nowhere/a.yaml'), undefined);
});
