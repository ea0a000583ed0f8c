// A BuildInput over files given as text: the fixtures of the build tests.
import { parseYamlFile } from '../../../../server/src/model/parse';
import { ancestors, dirname } from '../../../../server/src/model/paths';
import type { BuildInput } from '../../../../server/src/model/build';
import type { YamlFile } from '../../../../server/src/model/types';

export function memoryInput(files: Record<string, string>): BuildInput {
  const folders = new Set<string>();
  for (const path of Object.keys(files)) for (const folder of ancestors(path)) folders.add(folder);
  const parsed = new Map<string, YamlFile>();
  return {
    kindOf: (path) => (path in files ? 'file' : folders.has(path) ? 'folder' : 'missing'),
    children: (folder) => ({
      files: Object.keys(files).filter((p) => dirname(p) === folder).sort(),
      folders: [...folders].filter((f) => f !== '' && f !== folder && dirname(f) === folder).sort(),
    }),
    yamlFile: (path) => {
      if (!(path in files) || !/\.ya?ml$/.test(path)) return undefined;
      if (!parsed.has(path)) parsed.set(path, parseYamlFile(path, files[path]));
      return parsed.get(path);
    },
    readText: (path) => files[path],
  };
}
