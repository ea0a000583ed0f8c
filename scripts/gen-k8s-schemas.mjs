#!/usr/bin/env node
// Generates the built-in schemas of the schema engine (server/src/schema/generated/, gitignored):
//   k8s-definitions.json   JSON Schema definitions of the Kubernetes 1.34 models, with descriptions
//                          (read by describe/fieldsAt and by the message builder)
//   kustomization.json     SchemaStore's kustomization schema (draft-04) with our corrections
//   validators.js          ajv standalone validators for every built-in kind and kustomization.yaml
// Inputs are npm dependencies only (@kubernetes/client-node, schemastore); nothing is fetched.
// Usage: node scripts/gen-k8s-schemas.mjs
import { createRequire } from 'node:module';
import { readFileSync, renameSync, writeFileSync as writeFileDirectly, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'server/src/schema/generated');
const started = Date.now();
// Written to a temporary name first: test processes running at once may read while another writes.
const writeFileSync = (file, text) => {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileDirectly(temporary, text);
  renameSync(temporary, file);
};

const clientDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
const clientVersion = JSON.parse(readFileSync(join(clientDir, 'package.json'), 'utf8')).version;
const modelsDir = join(clientDir, 'dist/gen/models');

// Kind → model, per group/version served by Kubernetes 1.34 (GA, plus betas on by default or
// common in manifests; the deprecated resource.k8s.io betas are left out, their models are large).
// `Kind=Model` names the model where its class name is not `<Version><Kind>`.
const KINDS = {
  v1: 'ConfigMap Endpoints Event=CoreV1Event LimitRange Namespace Node PersistentVolume PersistentVolumeClaim Pod PodTemplate ReplicationController ResourceQuota Secret Service ServiceAccount',
  'admissionregistration.k8s.io/v1': 'MutatingWebhookConfiguration ValidatingWebhookConfiguration ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/v1beta1': 'MutatingAdmissionPolicy MutatingAdmissionPolicyBinding',
  'apiextensions.k8s.io/v1': 'CustomResourceDefinition',
  'apiregistration.k8s.io/v1': 'APIService',
  'apps/v1': 'ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet',
  'autoscaling/v1': 'HorizontalPodAutoscaler',
  'autoscaling/v2': 'HorizontalPodAutoscaler',
  'batch/v1': 'CronJob Job',
  'certificates.k8s.io/v1': 'CertificateSigningRequest',
  'certificates.k8s.io/v1beta1': 'ClusterTrustBundle',
  'coordination.k8s.io/v1': 'Lease',
  'coordination.k8s.io/v1beta1': 'LeaseCandidate',
  'discovery.k8s.io/v1': 'EndpointSlice',
  'events.k8s.io/v1': 'Event=EventsV1Event',
  'flowcontrol.apiserver.k8s.io/v1': 'FlowSchema PriorityLevelConfiguration',
  'networking.k8s.io/v1': 'Ingress IngressClass NetworkPolicy IPAddress ServiceCIDR',
  'node.k8s.io/v1': 'RuntimeClass',
  'policy/v1': 'PodDisruptionBudget',
  'rbac.authorization.k8s.io/v1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'resource.k8s.io/v1': 'DeviceClass ResourceClaim=ResourceV1ResourceClaim ResourceClaimTemplate ResourceSlice',
  'scheduling.k8s.io/v1': 'PriorityClass',
  'storage.k8s.io/v1': 'CSIDriver CSINode CSIStorageCapacity StorageClass VolumeAttachment VolumeAttributesClass',
};

// The client erases resource.Quantity to string; these fields accept a string or a number.
const QUANTITY = [
  'V1ResourceRequirements.limits', 'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits', 'V1VolumeResourceRequirements.requests',
  'V1ResourceQuotaSpec.hard',
  'V1LimitRangeItem.default', 'V1LimitRangeItem.defaultRequest', 'V1LimitRangeItem.max',
  'V1LimitRangeItem.maxLimitRequestRatio', 'V1LimitRangeItem.min',
  'V1PersistentVolumeSpec.capacity', 'V1EmptyDirVolumeSource.sizeLimit',
  'V1PodSpec.overhead', 'V1Overhead.podFixed',
  'V1CSIStorageCapacity.capacity', 'V1CSIStorageCapacity.maximumVolumeSize',
  'V2MetricTarget.averageValue', 'V2MetricTarget.value', 'V2HPAScalingRules.tolerance',
];

// Enums the Kubernetes API documents in prose; the client models carry none.
const ENUMS = {
  'V1Container.imagePullPolicy': ['Always', 'Never', 'IfNotPresent'],
  'V1EphemeralContainer.imagePullPolicy': ['Always', 'Never', 'IfNotPresent'],
  'V1Container.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'V1Container.restartPolicy': ['Always'],
  'V1PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'V1PodSpec.dnsPolicy': ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
  'V1PodSpec.preemptionPolicy': ['Never', 'PreemptLowerPriority'],
  'V1ContainerPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'V1ServicePort.protocol': ['TCP', 'UDP', 'SCTP'],
  'CoreV1EndpointPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'V1NetworkPolicyPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'V1ServiceSpec.type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  'V1ServiceSpec.externalTrafficPolicy': ['Cluster', 'Local'],
  'V1ServiceSpec.internalTrafficPolicy': ['Cluster', 'Local'],
  'V1ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'V1ServiceSpec.ipFamilyPolicy': ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  'V1DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'V1DaemonSetUpdateStrategy.type': ['RollingUpdate', 'OnDelete'],
  'V1StatefulSetUpdateStrategy.type': ['RollingUpdate', 'OnDelete'],
  'V1StatefulSetSpec.podManagementPolicy': ['OrderedReady', 'Parallel'],
  'V1CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'V1JobSpec.completionMode': ['NonIndexed', 'Indexed'],
  'V1JobSpec.podReplacementPolicy': ['TerminatingOrFailed', 'Failed'],
  'V1PersistentVolumeClaimSpec.volumeMode': ['Filesystem', 'Block'],
  'V1PersistentVolumeSpec.volumeMode': ['Filesystem', 'Block'],
  'V1PersistentVolumeSpec.persistentVolumeReclaimPolicy': ['Delete', 'Recycle', 'Retain'],
  'V1StorageClass.reclaimPolicy': ['Delete', 'Recycle', 'Retain'],
  'V1StorageClass.volumeBindingMode': ['Immediate', 'WaitForFirstConsumer'],
  'V1Toleration.operator': ['Exists', 'Equal'],
  'V1Toleration.effect': ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  'V1Taint.effect': ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  'V1NodeSelectorRequirement.operator': ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'],
  'V1LabelSelectorRequirement.operator': ['In', 'NotIn', 'Exists', 'DoesNotExist'],
  'V1HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'V1SeccompProfile.type': ['RuntimeDefault', 'Unconfined', 'Localhost'],
  'V1AppArmorProfile.type': ['RuntimeDefault', 'Unconfined', 'Localhost'],
  'V1VolumeMount.mountPropagation': ['None', 'HostToContainer', 'Bidirectional'],
  'V1PodSecurityContext.fsGroupChangePolicy': ['OnRootMismatch', 'Always'],
  'V1TopologySpreadConstraint.whenUnsatisfiable': ['DoNotSchedule', 'ScheduleAnyway'],
  'V1TopologySpreadConstraint.nodeAffinityPolicy': ['Honor', 'Ignore'],
  'V1TopologySpreadConstraint.nodeTaintsPolicy': ['Honor', 'Ignore'],
  'V2MetricSpec.type': ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'],
  'V2MetricTarget.type': ['AverageValue', 'Utilization', 'Value'],
  'V2HPAScalingPolicy.type': ['Pods', 'Percent'],
  'V2HPAScalingRules.selectPolicy': ['Max', 'Min', 'Disabled'],
  'V1PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': ['IfHealthyBudget', 'AlwaysAllow'],
  'V1HTTPGetAction.scheme': ['HTTP', 'HTTPS'],
};

const PREFIX = /^(?:[A-Z][a-z]+)?V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/;
const titleOf = (model) => model.replace(PREFIX, '');

function loadModel(name) {
  const js = readFileSync(join(modelsDir, `${name}.js`), 'utf8');
  const start = js.indexOf(`${name}.attributeTypeMap = [`);
  if (start < 0) throw new Error(`no attributeTypeMap in ${name}`);
  const open = js.indexOf('[', start);
  const close = js.indexOf('];', open);
  const attributes = JSON.parse(js.slice(open, close + 1));
  const dts = readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8');
  const classAt = dts.indexOf('export declare class');
  const head = dts.slice(0, classAt);
  const classDoc = /\/\*\*\s*\n([\s\S]*?)\*\/\s*$/.exec(head.slice(head.lastIndexOf('/**')));
  const fields = new Map();
  const fieldRe = /(?:\/\*\*\n([\s\S]*?)\*\/\s*\n)?\s*'([^']+)'(\??):/g;
  const body = dts.slice(classAt);
  for (let m; (m = fieldRe.exec(body)); ) {
    fields.set(m[2], { description: m[1] ? cleanDoc(m[1]) : undefined, required: m[3] !== '?' });
  }
  return { attributes, description: classDoc ? cleanDoc(classDoc[1]) : undefined, fields };
}

function cleanDoc(text) {
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim()
    .replace(/\\(['"])/g, '$1');
}

const definitions = {};
const pending = [];
const exists = (name) => {
  try {
    readFileSync(join(modelsDir, `${name}.js`));
    return true;
  } catch {
    return false;
  }
};
const use = (name) => {
  if (!(name in definitions)) {
    definitions[name] = null;
    pending.push(name);
  }
  return { $ref: `#/definitions/${name}` };
};

function typeSchema(type, format, owner) {
  if (type === 'string') {
    if (format === 'date-time' || format === 'date-time-micro') return { type: 'string', format: 'date-time' };
    return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
  }
  if (type === 'number') return format === 'int32' || format === 'int64' ? { type: 'integer', format } : { type: 'number' };
  if (type === 'boolean') return { type: 'boolean' };
  if (type === 'Date' || type === 'V1MicroTime') return { type: 'string', format: 'date-time' };
  if (type === 'any') return {};
  if (type === 'IntOrString') return { type: ['integer', 'string'], format: 'int-or-string' };
  let m = /^Array<(.+)>$/.exec(type);
  if (m) return { type: 'array', items: typeSchema(m[1], format, owner) };
  m = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (m) return { type: 'object', additionalProperties: typeSchema(m[1], format, owner) };
  if (exists(type)) return use(type);
  throw new Error(`unknown type ${type} in ${owner}`);
}

function buildDefinition(name) {
  const model = loadModel(name);
  const properties = {};
  const required = [];
  for (const attribute of model.attributes) {
    const field = model.fields.get(attribute.name) ?? {};
    const key = attribute.baseName;
    let schema = typeSchema(attribute.type, attribute.format, name);
    const ref = `${name}.${key}`;
    if (QUANTITY.includes(ref)) {
      schema = schema.type === 'object'
        ? { type: 'object', additionalProperties: { type: ['string', 'number'], format: 'quantity' } }
        : { type: ['string', 'number'], format: 'quantity' };
    }
    if (ENUMS[ref]) schema = { ...schema, enum: ENUMS[ref] };
    if (field.description) schema = { ...schema, description: field.description };
    properties[key] = schema;
    if (field.required) required.push(key);
  }
  const definition = { type: 'object', title: titleOf(name) };
  if (model.description) definition.description = model.description;
  definition.properties = properties;
  if (required.length) definition.required = required;
  definition.additionalProperties = false;
  return definition;
}

const kinds = {};
for (const [apiVersion, list] of Object.entries(KINDS)) {
  const version = apiVersion.split('/').pop();
  const prefix = version[0].toUpperCase() + version.slice(1);
  for (const entry of list.split(' ')) {
    const [kind, explicit] = entry.split('=');
    const model = explicit ?? `${prefix}${kind}`;
    if (!exists(model)) throw new Error(`${apiVersion} ${kind}: no model ${model}`);
    kinds[`${apiVersion}/${kind}`] = model;
    use(model);
  }
}
for (let name; (name = pending.shift()); ) definitions[name] = buildDefinition(name);
// The cluster writes status, manifests do not: any status is accepted, and the definitions only
// status uses are left out (a fifth of the schemas).
for (const model of new Set(Object.values(kinds))) {
  const status = definitions[model].properties.status;
  if (status) definitions[model].properties.status = { description: status.description ?? 'Written by the cluster; not validated.' };
}
const reachable = new Set();
const reach = (name) => {
  if (reachable.has(name)) return;
  reachable.add(name);
  JSON.stringify(definitions[name], (key, value) => (key === '$ref' && typeof value === 'string' && reach(value.split('/').pop()), value));
};
for (const model of Object.values(kinds)) reach(model);
for (const name of Object.keys(definitions)) if (!reachable.has(name)) delete definitions[name];
for (const ref of [...QUANTITY, ...Object.keys(ENUMS)]) {
  const [model, field] = ref.split('.');
  if (!definitions[model]?.properties[field]) throw new Error(`table entry ${ref} names no reached field`);
}

const k8s = { kubernetes: '1.34', client: `@kubernetes/client-node@${clientVersion}`, kinds, definitions };

// SchemaStore's kustomization.json, as the schemastore package ships it, plus what kustomize
// accepts and the shipped copy lacks.
const storeDir = dirname(require.resolve('schemastore/package.json'));
const kustomization = JSON.parse(readFileSync(join(storeDir, 'schemas/json/kustomization.json'), 'utf8'));
const kdefs = kustomization.definitions;
for (const name of ['PatchesPatchPath', 'PatchesInlinePatch']) {
  kdefs[name].properties.options = {
    description: 'Options of the patch: allowNameChange and allowKindChange let a patch rename the target or change its kind.',
    type: 'object',
    properties: { allowNameChange: { type: 'boolean' }, allowKindChange: { type: 'boolean' } },
    additionalProperties: false,
  };
}
kdefs.Kustomization.properties.sortOptions = {
  description: 'SortOptions change the order that kustomize outputs resources (order: legacy or fifo).',
  type: 'object',
  properties: {
    order: { enum: ['legacy', 'fifo'] },
    legacySortOptions: {
      type: 'object',
      properties: { orderFirst: { type: 'array', items: { type: 'string' } }, orderLast: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};
// kustomize's HelmChart (api/types/helmchartargs.go) has more fields than the shipped copy lists.
Object.assign(kdefs.HelmChart.properties, {
  additionalValuesFiles: { type: 'array', items: { type: 'string' }, description: 'Further values files, merged after valuesFile.' },
  apiVersions: { type: 'array', items: { type: 'string' }, description: 'Kubernetes API versions used for Capabilities.APIVersions.' },
  kubeVersion: { type: 'string', description: 'Kubernetes version used for Capabilities.KubeVersion.' },
  nameTemplate: { type: 'string', description: 'Template used to name the release.' },
  skipHooks: { type: 'boolean', description: 'Skip the chart hooks.' },
  skipTests: { type: 'boolean', description: 'Skip the chart tests.' },
  debug: { type: 'boolean', description: 'Run helm with --debug.' },
});

// A oneOf of two $refs reports each branch's errors from inside the referenced validator, where
// they cannot be told apart from the rest; one merged definition gives one clear message instead.
const merge = (title, ...names) => ({
  type: 'object',
  title,
  properties: Object.assign({}, ...names.map((name) => kdefs[name].properties)),
  additionalProperties: false,
});
kdefs.Patch = merge('Patch', 'PatchesPatchPath', 'PatchesInlinePatch');
kdefs.Kustomization.properties.patches.items = { $ref: '#/definitions/Patch' };
// kustomize reads patchesJson6902 entries as patches (path or patch, and a selector target).
kdefs.Kustomization.properties.patchesJson6902.items = { $ref: '#/definitions/Patch' };
delete kdefs.PatchJson6902;
kdefs.Replacement = merge('Replacement', 'ReplacementsPath', 'ReplacementsInline');
kdefs.Kustomization.properties.replacements.items = { $ref: '#/definitions/Replacement' };
for (const [name, def] of Object.entries(kdefs)) if (def.properties) def.title ??= name;

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'k8s-definitions.json'), JSON.stringify(k8s));
writeFileSync(join(outDir, 'kustomization.json'), JSON.stringify(kustomization));

// Standalone validators. Descriptions and formats do not reach the code (formats are not checked;
// Kubernetes checks few of them and a substituted or encrypted value may take their place).
function validationOnly(schema, key) {
  if (Array.isArray(schema)) return schema.map((item) => validationOnly(item));
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    // Inside `properties` and `definitions` the keys are names, not keywords.
    const named = key === 'properties' || key === 'definitions';
    if (!named && (k === 'description' || k === 'title' || k === 'format')) continue;
    out[k] = validationOnly(v, named ? undefined : k);
  }
  return out;
}
const { default: Ajv } = await import('ajv');
const { default: AjvDraft04 } = await import('ajv-draft-04');
const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
const options = { allErrors: true, messages: false, strict: false, validateFormats: false, inlineRefs: false, code: { source: true, optimize: true } };
const ajv = new Ajv(options);
ajv.addSchema({ $id: 'k8s', definitions: validationOnly(definitions) }, 'k8s');
const exportsMap = {};
const exportNames = {};
for (const [key, model] of Object.entries(kinds)) {
  const id = `k8s_${Object.keys(exportsMap).length}`;
  exportsMap[id] = `k8s#/definitions/${model}`;
  exportNames[key] = id;
}
const code = standaloneCode(ajv, exportsMap);
const ajv04 = new AjvDraft04(options);
ajv04.addSchema(validationOnly(kustomization), 'kustomization');
const kcode = standaloneCode(ajv04, { kustomization: 'kustomization' });
writeFileSync(
  join(outDir, 'validators.js'),
  `// Generated by scripts/gen-k8s-schemas.mjs from ${k8s.client} and schemastore; do not edit.\n` +
    `"use strict";\nexports.kinds = ${JSON.stringify(exportNames)};\n` +
    `exports.k8s = (function () { const exports = {}, module = { exports };\n${code}\nreturn module.exports; })();\n` +
    `exports.kustomization = (function () { const exports = {}, module = { exports };\n${kcode}\nreturn module.exports; })().kustomization;\n`,
);
console.log(
  `gen-k8s-schemas: ${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions from ${k8s.client} in ${Date.now() - started} ms`,
);
