// The shape of every message's params the language server accepts, checked before a handler runs:
// a malformed request is answered with InvalidParams, a malformed notification is ignored (and
// logged). Plain functions of unknown values; server.ts wires them, nothing here knows the wire.

/** What is wrong with a message's params, or undefined when they have the expected shape. */
export type ParamsCheck = (params: unknown) => string | undefined;

type Field = (value: unknown, at: string) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A non-negative integer within LSP's uinteger range. */
const uinteger: Field = (value, at) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2 ** 31 - 1 ? undefined : `${at} must be a non-negative integer`;

const integer: Field = (value, at) => (typeof value === 'number' && Number.isInteger(value) ? undefined : `${at} must be an integer`);

const string: Field = (value, at) => (typeof value === 'string' ? undefined : `${at} must be a string`);

const boolean: Field = (value, at) => (typeof value === 'boolean' ? undefined : `${at} must be a boolean`);

/** A URI: a string with a scheme. Which URIs the server serves is decided later (uris.ts). */
const uri: Field = (value, at) => (typeof value === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) ? undefined : `${at} must be a URI`);

function optional(field: Field): Field {
  return (value, at) => (value === undefined || value === null ? undefined : field(value, at));
}

function object(fields: Record<string, Field>): Field {
  return (value, at) => {
    if (!isObject(value)) return `${at || 'params'} must be an object`;
    for (const [key, field] of Object.entries(fields)) {
      const problem = field(value[key], at ? `${at}.${key}` : key);
      if (problem) return problem;
    }
    return undefined;
  };
}

function array(item: Field, max = Number.MAX_SAFE_INTEGER): Field {
  return (value, at) => {
    if (!Array.isArray(value)) return `${at} must be an array`;
    if (value.length > max) return `${at} has more than ${max} items`;
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function oneOf(...values: unknown[]): Field {
  return (value, at) => (values.includes(value) ? undefined : `${at} must be one of ${values.join(', ')}`);
}

const position = object({ line: uinteger, character: uinteger });
const range = object({ start: position, end: position });
const textDocument = object({ uri });

function params(fields: Record<string, Field>): ParamsCheck {
  const check = object(fields);
  return (value) => check(value, '');
}

/** Params of no interest (absent, or anything): requests without params. */
export const anything: ParamsCheck = () => undefined;

export const textDocumentParams = params({ textDocument });
export const textDocumentPositionParams = params({ textDocument, position });
export const referenceParams = params({ textDocument, position, context: object({ includeDeclaration: boolean }) });
export const renameParams = params({ textDocument, position, newName: string });
export const codeActionParams = params({ textDocument, range, context: object({ diagnostics: array(isObjectField) }) });
export const completionParams = params({
  textDocument,
  position,
  context: optional(object({ triggerKind: integer, triggerCharacter: optional(string) })),
});
export const workspaceSymbolParams = params({ query: string });
export const uriParams = params({ uri });

export const didOpenParams = params({ textDocument: object({ uri, languageId: string, version: integer, text: string }) });
export const didChangeParams = params({
  textDocument: object({ uri, version: integer }),
  contentChanges: array((value, at) => {
    if (!isObject(value)) return `${at} must be an object`;
    if (value.range === undefined) return string(value.text, `${at}.text`);
    return object({ range, text: string, rangeLength: optional(uinteger) })(value, at);
  }),
});
export const didCloseParams = textDocumentParams;
export const didSaveParams = params({ textDocument, text: optional(string) });
export const willSaveParams = params({ textDocument, reason: integer });
export const didChangeConfigurationParams: ParamsCheck = (value) => (isObject(value) ? undefined : 'params must be an object');
export const didChangeWatchedFilesParams = params({ changes: array(object({ uri, type: oneOf(1, 2, 3) })) });
export const workspaceTrustParams = params({ trusted: boolean });

export const sopsTextParams = params({ uri, text: string });
export const sopsReencryptParams = params({ uri, original: string, edited: string });

/** The initialize request: the client's capabilities must be an object; the rest is optional. */
export const initializeParams = params({
  capabilities: object({}),
  rootUri: optional(uri),
  rootPath: optional(string),
  workspaceFolders: optional(array(object({ uri, name: string }))),
});

function isObjectField(value: unknown, at: string): string | undefined {
  return isObject(value) ? undefined : `${at} must be an object`;
}

export const renderParams = params({
  uri,
  position: optional(position),
  kustomization: optional(string),
  cluster: optional(string),
  ref: optional(oneOf('HEAD')),
});
