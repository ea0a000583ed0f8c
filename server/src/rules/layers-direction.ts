import { edgesOfFile } from '../model/edges';
import { removeListEntry } from './edits';
import { fileRule, type Rule, type RuleFinding } from './types';

export const layersDirection: Rule = fileRule(
  {
    id: 'layers/direction',
    defaultSeverity: 'error',
    description: 'A dependency that points up the layers (a lower layer needing a higher one).',
    help:
      'Layers are applied bottom-up (core, then services, then apps); a lower layer that needs a higher one cannot be brought up on its own and breaks the order the architecture promises. Edges: Flux and HelmRelease dependsOn, kustomize paths into another component, cross-namespace source and backend references, service DNS names in values, ConfigMaps and env, NetworkPolicy namespace selectors, and custom resources whose CRD a higher layer installs. Layers found by convention or labels report warnings; layers named in .gitops-guardrails.yaml (or a layerOrder there) report errors. An order inferred from layer labels (tier numbers, known names) and the majority direction of the dependsOn edges is checked only when the two agree; otherwise the assumed order is stated once, as information.',
    fix: 'Remove the dependsOn entry (for dependsOn edges).',
  },
  // One file at a time: the edges written in it.
  (model, file) => {
    const { layers, source, order: layerOrder } = model.layers;
    if (layers.length === 0) return [];
    const order = new Map(layers.map((l) => [l.name, l.order]));
    const ladder = [...layers].sort((a, b) => a.order - b.order).map((l) => l.name).join(' ← ');
    // An order that is not certain is stated once, where the lowest layer is labelled, and not checked.
    if (!layerOrder.certain) {
      const evidence = layerOrder.evidence;
      if (!evidence || evidence.resource.file !== file.path) return [];
      return [
        {
          file: file.path,
          range: model.rangeOf(evidence.resource, evidence.nodePath),
          severity: 'information',
          message: `Layer order assumed from ${layerOrder.reason}. Dependencies are not checked against it until it is certain: list the layers lowest first under layerOrder in .gitops-guardrails.yaml (layerOrder: [${layers.map((l) => l.name).join(', ')}]).`,
        },
      ];
    }
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const edge of edgesOfFile(model, file)) {
      const fromOrder = edge.from.layer ? order.get(edge.from.layer) : undefined;
      const toOrder = edge.to.layer ? order.get(edge.to.layer) : undefined;
      if (fromOrder === undefined || toOrder === undefined || fromOrder >= toOrder) continue;
      const key = `${edge.resource.file}#${edge.resource.index}#${edge.nodePath.join('/')}#${edge.target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const finding: RuleFinding = {
        file: edge.resource.file,
        range: edge.withinValue ? model.rangeOfText(edge.resource, edge.nodePath, edge.target) : model.rangeOf(edge.resource, edge.nodePath),
        severity: source === 'config' || layerOrder.source === 'configured' ? 'error' : 'warning',
        message: `${edge.from.layer} component ${edge.from.name} depends on ${edge.to.layer} component ${edge.to.name} through a ${edge.kind} (${edge.target}); dependencies must point down the layers (${ladder}).`,
      };
      if (edge.kind === 'Flux dependsOn' || edge.kind === 'HelmRelease dependsOn') {
        const removal = removeListEntry(model, edge.resource, edge.nodePath.slice(0, -1));
        if (removal) finding.fixes = [{ title: `Remove the dependsOn entry ${edge.target}`, changes: [removal], safe: false }];
      }
      findings.push(finding);
    }
    return findings;
  },
);
