// Builds models from inline files and applies fixes to them, for rule and model tests.
import { runChecks } from '../../server/src/check';
import { applyTextEdits } from '../../server/src/fixes';
import { RepoModel } from '../../server/src/model/model';
import { RULE_IDS, RULES } from '../../server/src/rules';
import type { Finding, Fix } from '../../server/src/rules/types';

/** Removes the common indentation of a template literal so fixtures can be indented in code. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function repo(files: Record<string, string | null>): RepoModel {
  const model = new RepoModel('/repo', RULE_IDS);
  for (const [path, text] of Object.entries(files)) model.setFile(path, text);
  return model;
}

export function check(model: RepoModel, ruleId?: string): Finding[] {
  const rules = ruleId ? RULES.filter((r) => r.id === ruleId) : RULES;
  if (ruleId && rules.length === 0) throw new Error(`no rule ${ruleId}`);
  return runChecks(model, { rules, onRuleError: (_, e) => { throw e; } });
}

/**
 * Errors and warnings only: what a fix must not add (kinds without a schema are information).
 * namespace/default is left out: the minimal fixtures leave objects in `default` on purpose, and
 * that rule has tests of its own (test/unit/rules/namespace-default.test.ts).
 */
export function problems(model: RepoModel): Finding[] {
  return checkAllButDefaultNamespace(model).filter((f) => f.severity === 'error' || f.severity === 'warning');
}

/** Applies a fix's changes to the in-memory model, as the editor or `check --fix` would. */
export function applyFix(model: RepoModel, fix: Fix): void {
  for (const change of fix.changes) {
    if (change.kind === 'create') model.setFile(change.file, change.text);
    else if (change.kind === 'delete') model.setFile(change.file, undefined);
    else model.setFile(change.file, applyTextEdits(model.file(change.file)?.text ?? '', change.edits));
  }
}

/** A compact `line:col-line:col` (1-based) view of a finding's range, for exact assertions. */
export function at(f: Finding): string {
  return `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1}`;
}

/**
 * A Deployment `web` with one nginx container `app`; `rest` follows the container's `image:` line
 * (indented for the container's fields: a resources block, say), `header` goes before the document.
 */
export function webDeployment(replicas: number, rest = '', header = ''): string {
  return (
    header +
    yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: ${replicas}
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
              - name: app
                image: nginx
    ` +
    rest
  );
}

/**
 * A HelmRelease `api` of the bjw-s app-template chart whose controller `api` is `controller`
 * (given unindented: its keys, such as `containers:`, at column 0).
 */
export function appTemplateRelease(controller: string): string {
  const header = yaml`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: api
    spec:
      interval: 1h
      chartRef:
        kind: OCIRepository
        name: app-template
      values:
        controllers:
          api:
  `;
  return header + controller.replace(/^(?=.)/gm, '        ');
}

/** The cert-manager HelmRelease (it installs the cert-manager.io CRDs), for the CRD-ordering tests. */
export const certManagerRelease = yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: cert-manager
    namespace: cert-manager
  spec:
    interval: 30m
    chart:
      spec:
        chart: cert-manager
        sourceRef:
          kind: HelmRepository
          name: jetstack
`;

export function fluxKs(name: string, path: string, extra = ''): string {
  return yaml`
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: ${name}
      namespace: flux-system
    spec:
      interval: 10m
      path: ${path}
      prune: true
      sourceRef:
        kind: GitRepository
        name: flux-system
  ` + extra;
}

export const FLUX_SYSTEM_SYNC = (cluster: string) => yaml`
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 10m
    path: ./clusters/${cluster}
    prune: true
    sourceRef:
      kind: GitRepository
      name: flux-system
`;

/** Every finding but namespace/default (minimal fixtures leave objects in `default` on purpose). */
export function checkAllButDefaultNamespace(model: RepoModel): Finding[] {
  return check(model).filter((f) => f.rule !== 'namespace/default');
}
