// Flux post-build substitution left in a value: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`.

export interface Substitution {
  variable: string;
  /** The default, unquoted, when the expression carries one. */
  fallback?: string;
}

// drone/envsubst, which Flux uses, also accepts `${VAR=default}` and `${VAR-default}`.
const SUBSTITUTION = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=]([^}]*))?\}$/;

/** The substitution a whole value consists of, if it is one. */
export function readSubstitution(value: string): Substitution | undefined {
  const match = SUBSTITUTION.exec(value.trim());
  if (!match) return undefined;
  const fallback = match[2]?.replace(/^(["'])(.*)\1$/, '$2');
  return fallback === undefined ? { variable: match[1]! } : { variable: match[1]!, fallback };
}

const ANY_SUBSTITUTION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=]([^}]*))?\}/g;

/** Whether a value holds a substitution anywhere, as in `${SIZE}Gi`. */
export function hasSubstitution(value: string): boolean {
  return /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=][^}]*)?\}/.test(value);
}

/** The value with every substitution replaced by its default; undefined when one has none. */
export function withDefaults(value: string): string | undefined {
  let complete = true;
  const text = value.replace(ANY_SUBSTITUTION, (_match, _variable: string, fallback: string | undefined) => {
    if (fallback === undefined) complete = false;
    return (fallback ?? '').replace(/^(["'])(.*)\1$/, '$2');
  });
  return complete ? text : undefined;
}
