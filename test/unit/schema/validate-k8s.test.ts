import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaRegistry } from '../../../server/src/schema/index';
import { doc, fixtureDocs, render } from './helpers';

const registry = new SchemaRegistry();

test('a Deployment with a typo, wrong types, a bad enum and a missing name gets one exact problem each', () => {
  const [deployment] = fixtureDocs('deployment-typos.yaml');
  assert.deepEqual(render(registry.validate(deployment)), [
    'metadata.labels.version (value): "version" must be a string, got integer',
    'spec.replicas (value): "replicas" must be an integer, got string',
    'spec.template.spec.restartPolicy (value): "restartPolicy" must be one of "Always", "OnFailure", "Never", got "always"; did you mean "Always"?',
    'spec.template.spec.containers.0.imagePullPolcy (key): Unknown field "imagePullPolcy" in Container; did you mean "imagePullPolicy"?',
    'spec.template.spec.containers.1 (key): Missing required field "name" in Container',
    'spec.template.spec.containers.1.args.1 (value): "args[1]" must be a string, got integer',
  ]);
});

test('the problem paths point into the document: an unknown field at its key, a wrong value at the value', () => {
  const [deployment] = fixtureDocs('deployment-typos.yaml');
  const problems = registry.validate(deployment);
  assert.ok(Array.isArray(problems));
  assert.deepEqual(problems[3], {
    path: ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolcy'],
    target: 'key',
    message: 'Unknown field "imagePullPolcy" in Container; did you mean "imagePullPolicy"?',
  });
  assert.deepEqual(problems[1].path, ['spec', 'replicas']);
  assert.equal(problems[1].target, 'value');
});

test('a required field missing at the top of a spec names its owner', () => {
  const problems = registry.validate(doc`
    apiVersion: v1
    kind: Pod
    metadata:
      name: p
    spec:
      restartPolicy: Never
  `);
  assert.deepEqual(render(problems), ['spec (key): Missing required field "containers" in PodSpec']);
});

test('an unknown field far from any known one lists the allowed fields when there are few', () => {
  const problems = registry.validate(doc`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
    values:
      a: b
  `);
  assert.deepEqual(render(problems), [
    'values (key): Unknown field "values" in ConfigMap; allowed fields: apiVersion, binaryData, data, immutable, kind, metadata',
  ]);
});

test('int-or-string, quantities, times and free-form fields accept what Kubernetes accepts', () => {
  const problems = registry.validate(doc`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      creationTimestamp: null
      annotations:
        checksum: abc
    spec:
      selector:
        matchLabels: {app: web}
      strategy:
        rollingUpdate:
          maxSurge: 25%
          maxUnavailable: 1
      template:
        spec:
          containers:
            - name: web
              ports:
                - {containerPort: 80, name: http}
              readinessProbe:
                httpGet: {port: http}
              livenessProbe:
                tcpSocket: {port: 80}
              resources:
                requests: {cpu: 0.5, memory: 1Gi, ephemeral-storage: 1}
          volumes:
            - name: tmp
              emptyDir: {sizeLimit: 1Gi, medium: Memory}
  `);
  assert.deepEqual(render(problems), []);
});

test('int-or-string and quantities still reject lists and maps', () => {
  const problems = registry.validate(doc`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      type: ClusterIp
      ports:
        - port: 80
          targetPort: [8080]
  `);
  assert.deepEqual(render(problems), [
    'spec.type (value): "type" must be one of "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", got "ClusterIp"; did you mean "ClusterIP"?',
    'spec.ports.0.targetPort (value): "targetPort" must be an integer or a string, got list',
  ]);
  const quota = registry.validate(doc`
    apiVersion: v1
    kind: ResourceQuota
    metadata:
      name: budget
    spec:
      hard:
        requests.cpu: 4
        limits.memory: 8Gi
        pods: {max: 10}
  `);
  assert.deepEqual(render(quota), ['spec.hard.pods (value): "pods" must be a quantity such as 500m, 1Gi or 2, got map']);
});

test('list items are named with their index in messages', () => {
  const problems = registry.validate(doc`
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: once
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: run
              args: [echo, 42]
  `);
  assert.deepEqual(render(problems), ['spec.template.spec.containers.0.args.1 (value): "args[1]" must be a string, got integer']);
});

test('Flux ${VAR} substitutions are accepted in typed fields', () => {
  const problems = registry.validate(doc`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: \${NAMESPACE}
    spec:
      replicas: \${REPLICAS:=2}
      selector: {matchLabels: {app: web}}
      template:
        spec:
          containers:
            - name: web
              imagePullPolicy: \${PULL_POLICY}
              ports:
                - containerPort: \${PORT}
  `);
  assert.deepEqual(render(problems), []);
});

test('a SOPS-encrypted Secret validates: the sops metadata and ENC[...] values are not errors', () => {
  const [secret] = fixtureDocs('secret.sops.yaml');
  assert.deepEqual(render(registry.validate(secret)), []);
  const [deployment] = fixtureDocs('deployment-encrypted-replicas.sops.yaml');
  assert.deepEqual(render(registry.validate(deployment)), []);
});

test('a kustomize patch is validated without required fields and with $patch directives', () => {
  const [patch] = fixtureDocs('deployment-patch.yaml');
  assert.deepEqual(render(registry.validate(patch, { isPatch: true })), []);
  assert.deepEqual(render(registry.validate(patch)), [
    'spec (key): Missing required field "selector" in DeploymentSpec',
    'spec.template.spec.$setElementOrder/containers (key): Unknown field "$setElementOrder/containers" in PodSpec',
    'spec.template.spec.containers.1.$patch (key): Unknown field "$patch" in Container',
  ]);
});

test('a patch still reports typos and wrong types', () => {
  const problems = registry.validate(
    doc`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
      spec:
        replica: 3
        template:
          spec:
            containers:
              - name: api
                resources:
                  limits: {memory: [512Mi]}
    `,
    { isPatch: true },
  );
  assert.deepEqual(render(problems), [
    'spec.replica (key): Unknown field "replica" in DeploymentSpec; did you mean "replicas"?',
    'spec.template.spec.containers.0.resources.limits.memory (value): "memory" must be a quantity such as 500m, 1Gi or 2, got list',
  ]);
});

test('ignoreRequired drops missing-field problems only', () => {
  const problems = registry.validate(
    doc`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api}
      spec:
        replicas: many
        template:
          spec:
            containers: [{name: api}]
    `,
    { ignoreRequired: true },
  );
  assert.deepEqual(render(problems), ['spec.replicas (value): "replicas" must be an integer, got string']);
});

test('an unknown kind is returned once as unknownKind, not as problems', () => {
  assert.deepEqual(registry.validate(doc`
    apiVersion: cilium.io/v2
    kind: CiliumNetworkPolicy
    metadata: {name: tls}
    spec: {endpointSelector: {}}
  `), { unknownKind: 'cilium.io/v2 CiliumNetworkPolicy' });
  assert.equal(registry.hasSchema('cilium.io/v2', 'CiliumNetworkPolicy'), false);
  // cert-manager's kinds come from the bundled snapshot.
  assert.equal(registry.hasSchema('cert-manager.io/v1', 'Certificate'), true);
  assert.equal(registry.hasSchema('apps/v1', 'Deployment'), true);
  assert.equal(registry.hasSchema('kustomize.config.k8s.io/v1beta1', 'Kustomization'), true);
});

test('documents without apiVersion/kind, or with them substituted or encrypted, are not judged', () => {
  assert.deepEqual(registry.validate({ replicaCount: 2 }), []);
  assert.deepEqual(registry.validate({ apiVersion: '${API}', kind: 'Deployment', spec: 1 }), []);
  assert.deepEqual(registry.validate({ apiVersion: 'ENC[AES256_GCM,data:x]', kind: 'ENC[AES256_GCM,data:y]' }), []);
  assert.deepEqual(registry.validate(null), []);
  assert.deepEqual(registry.validate(['a']), []);
});

test('core kinds from every common group are known', () => {
  for (const [apiVersion, kind] of [
    ['v1', 'Namespace'], ['v1', 'Service'], ['v1', 'PersistentVolumeClaim'], ['apps/v1', 'StatefulSet'],
    ['batch/v1', 'CronJob'], ['networking.k8s.io/v1', 'Ingress'], ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['policy/v1', 'PodDisruptionBudget'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'], ['storage.k8s.io/v1', 'StorageClass'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'], ['scheduling.k8s.io/v1', 'PriorityClass'],
    ['events.k8s.io/v1', 'Event'], ['v1', 'Event'], ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
  ]) {
    assert.equal(registry.hasSchema(apiVersion, kind), true, `${apiVersion} ${kind}`);
  }
  assert.equal(registry.hasSchema('batch/v1beta1', 'CronJob'), false);
});

test('YAML merge keys are applied as Kubernetes applies them', () => {
  const problems = registry.validate(doc`
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - &base
          name: a
          image: busybox
        - <<: *base
          name: b
          imagePullPolicy: Never
        - <<: *base
          name: c
          imagePullPolcy: Never
  `);
  assert.deepEqual(render(problems), [
    'spec.containers.2.imagePullPolcy (key): Unknown field "imagePullPolcy" in Container; did you mean "imagePullPolicy"?',
  ]);
});

test('status is the cluster\'s to write: whatever a manifest holds there is accepted', () => {
  const problems = registry.validate(doc`
    apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec: {ports: [{port: 80}]}
    status:
      loadBalancer: {}
      anything: [1, 2]
  `);
  assert.deepEqual(render(problems), []);
});
