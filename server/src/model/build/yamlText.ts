// YAML as kustomize reads it. kustomize round-trips every object through JSON with go-yaml v3,
// whose integers follow Go's ParseInt with base 0 (a plain `0775` is octal, 509, where YAML 1.2's
// core schema, the model's parser, reads 775) and which resolves `<<` merge keys. Files with
// either are parsed again here.
import { parseAllDocuments, type Document } from 'yaml';

const legacyOctal = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^[-+]?0[0-7_]+$/,
  resolve: (s: string) => {
    const n = parseInt(s.replace(/[-+_]/g, ''), 8);
    return s.startsWith('-') ? -n : n;
  },
};

/** Whether a text may hold a plain legacy-octal scalar (a cheap test before parsing again). */
export function readsDifferently(text: string): boolean {
  return /(?:^|[\s:,[{-])[-+]?0[0-7_]+(?:[\s,\]}]|$)/m.test(text) || text.includes('<<');
}

export function parseKustomizeYaml(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false, merge: true, customTags: (tags) => [legacyOctal, ...tags] });
  return (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[];
}
