// Editor settings (gitopsGuardrails.*) as the server receives them, validated: in the
// initialize request's initializationOptions and in workspace/didChangeConfiguration.
import { RULE_IDS } from './rules';
import type { Severity } from './rules/types';

export interface EditorSettings {
  /** Rule severities from the settings; the repository's .gitops-guardrails.yaml wins over them. */
  severities: Record<string, Severity | 'off'>;
  sops: { ageKeyFile?: string; binary?: string; allowKeyCommand: boolean };
  /** gitopsGuardrails.charts.fetch: fetch missing charts after indexing (always), offer it once (ask), or never. */
  charts: { fetch: ChartFetchSetting };
}

export type ChartFetchSetting = 'ask' | 'always' | 'never';
const CHART_FETCH = new Set<string>(['ask', 'always', 'never']);

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Unknown rule ids and severities are dropped (and reported), never thrown. */
export function readSettings(raw: unknown, report: (message: string) => void = () => {}): EditorSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const severities: EditorSettings['severities'] = {};
  for (const [id, severity] of Object.entries(value.rules && typeof value.rules === 'object' ? value.rules : {})) {
    if (!RULE_IDS.has(id)) report(`gitopsGuardrails.rules: unknown rule "${id}" ignored`);
    else if (typeof severity !== 'string' || !SEVERITIES.has(severity)) report(`gitopsGuardrails.rules: severity of "${id}" must be error, warning, information, hint or off`);
    else severities[id] = severity as Severity | 'off';
  }
  const sops = value.sops && typeof value.sops === 'object' ? value.sops : {};
  const charts = value.charts && typeof value.charts === 'object' ? value.charts : {};
  if (charts.fetch !== undefined && !CHART_FETCH.has(charts.fetch)) report('gitopsGuardrails.charts.fetch must be ask, always or never; ask is used');
  return {
    severities,
    sops: {
      ageKeyFile: typeof sops.ageKeyFile === 'string' && sops.ageKeyFile ? sops.ageKeyFile : undefined,
      binary: typeof sops.binary === 'string' && sops.binary ? sops.binary : undefined,
      allowKeyCommand: sops.allowKeyCommand === true,
    },
    // A client that sends no charts settings (another editor) is never asked: `charts pull` fills the cache.
    charts: { fetch: CHART_FETCH.has(charts.fetch) ? charts.fetch : value.charts && typeof value.charts === 'object' ? 'ask' : 'never' },
  };
}
