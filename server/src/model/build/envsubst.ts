// Flux's post-build substitution (kustomize-controller's envsubst): `${var}`, `${var:=default}`,
// `${var=default}`, `${var:-default}`, `${var-default}` (a default when the variable is unset or
// empty), `${var^^}` / `${var,,}` (case), `$${var}` for a literal `${var}`; `$var` without braces
// is left alone. Undefined variables become '' (Flux's non-strict default). The one parser of
// `${...}` expressions: everything that reads them should use `parseExpressions`.

/** One `${...}` expression of a text. */
export interface Expression {
  /** Offset of the `$` and the end (exclusive) of the closing `}` (the text's end when never closed). */
  start: number;
  end: number;
  name: string;
  /** `:=`, `=`, `:-`, `-`, `^^`, `,,`, `^`, `,` or '' for a bare `${name}` (or another operator, see unevaluated). */
  operator: string;
  /** The default value (for the default operators). */
  argument?: string;
  /** Set when Flux cannot parse the expression (its build fails): why. */
  invalid?: string;
  /**
   * Set for an expression Flux evaluates that this build does not (`${var#prefix}`, `${var%suffix}`,
   * `${var/a/b}`, `${var:1:2}`...): it stays as written, its value unknown.
   */
  unevaluated?: string;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const OPERATORS = [':=', ':-', '=', '-', '^^', ',,', '^', ','];
/** What may follow a name inside `${...}`: the bash-style operators Flux's envsubst accepts. */
const OPERATOR_START = /^[:=\-+?^,#%/]/;
const DEFAULTS = new Set([':=', ':-', '=', '-']);

/** Every `${...}` expression of a text, skipping `$${...}` escapes. */
export function parseExpressions(text: string): Expression[] {
  const result: Expression[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    if (text[i + 1] === '$') {
      i++;
      continue;
    }
    if (text[i + 1] !== '{') continue;
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      result.push({ start: i, end: text.length, name: '', operator: '', invalid: 'it is never closed' });
      break;
    }
    const body = text.slice(i + 2, close);
    const name = NAME.exec(body)?.[0] ?? '';
    const rest = body.slice(name.length);
    const operator = OPERATORS.find((op) => rest.startsWith(op)) ?? '';
    const expression: Expression = { start: i, end: close + 1, name, operator };
    if (name === '') expression.invalid = body === '' ? 'the name is empty' : 'a name starts with a letter or _ and has only letters, digits and _';
    else if (rest !== '' && !OPERATOR_START.test(rest)) expression.invalid = `"${rest[0]}" cannot follow a variable name`;
    else if (DEFAULTS.has(operator)) expression.argument = rest.slice(operator.length);
    else if (rest !== operator) {
      expression.operator = rest.replace(/^([:=\-+?^,#%/]+).*$/s, '$1');
      expression.unevaluated = `\${${body}} uses an operator this build does not evaluate`;
    }
    result.push(expression);
    i = close;
  }
  return result;
}

/** `text` with each of `expressions` (of that text, in order) replaced by `mask` or what it gives for it. */
export function maskExpressions(text: string, expressions: readonly Expression[], mask: string | ((e: Expression) => string)): string {
  let out = '';
  let last = 0;
  for (const e of expressions) {
    out += text.slice(last, e.start) + (typeof mask === 'string' ? mask : mask(e));
    last = e.end;
  }
  return out + text.slice(last);
}

/**
 * `text` with every expression substituted, or undefined when one has no value here (no variable
 * and no default) or is not evaluated: for names the model must know exactly (spec.path, dependsOn).
 */
export function substituteKnown(text: string, variables: Readonly<Record<string, string>>): string | undefined {
  if (!text.includes('${')) return text;
  for (const e of parseExpressions(text)) {
    if (e.invalid || e.unevaluated) return undefined;
    if (!Object.prototype.hasOwnProperty.call(variables, e.name) && e.argument === undefined) return undefined;
  }
  return envsubst(text, variables).text;
}

/** The expression a whole value consists of (`${REPLICAS:=2}`), if it is one (surrounding blanks allowed). */
export function wholeExpression(value: string): Expression | undefined {
  const trimmed = value.trim();
  const [only, ...more] = parseExpressions(trimmed);
  return only && more.length === 0 && only.start === 0 && only.end === trimmed.length && !only.invalid ? only : undefined;
}

/**
 * The value with every expression replaced by its default (quotes around a default dropped), as
 * when no variable is set; undefined when one has no default.
 */
export function withDefaults(value: string): string | undefined {
  const expressions = parseExpressions(value);
  if (expressions.some((e) => e.invalid || e.unevaluated || e.argument === undefined)) return undefined;
  const defaults = Object.fromEntries(expressions.map((e) => [e.name, '']));
  const unquoted = value.replace(/\$\{[^}]*\}/g, (m) => m.replace(/(:?[-=])(["'])(.*)\2\}$/, '$1$3}'));
  return envsubst(unquoted, defaults).text;
}

export interface Substitution {
  text: string;
  /** Variables used without a value or a default (Flux writes ''). */
  undefinedNames: string[];
  /** Variables whose value is not known to this build (left as written). */
  unknownNames: string[];
}

/**
 * Substitutes `variables` into `text` as Flux does. Names in `unknown` have a value the build
 * cannot see (a substituteFrom source outside the repository): their expressions stay as written.
 */
export function envsubst(text: string, variables: Readonly<Record<string, string>>, unknown: (name: string) => boolean = () => false): Substitution {
  const undefinedNames: string[] = [];
  const unknownNames: string[] = [];
  let out = '';
  let last = 0;
  const expressions = parseExpressions(text);
  for (const e of expressions) {
    // Escapes between the previous expression and this one: `$$` is one `$`.
    out += text.slice(last, e.start).replace(/\$\$/g, '$');
    last = e.end;
    const has = Object.prototype.hasOwnProperty.call(variables, e.name);
    if (e.invalid || e.unevaluated || (!has && unknown(e.name))) {
      if (!e.invalid && !e.unevaluated) unknownNames.push(e.name);
      out += text.slice(e.start, e.end);
      continue;
    }
    let value = has ? variables[e.name] : '';
    if (e.argument !== undefined) {
      if (value === '') value = e.argument;
    } else if (!has) undefinedNames.push(e.name);
    if (e.operator === '^^') value = value.toUpperCase();
    else if (e.operator === ',,') value = value.toLowerCase();
    else if (e.operator === '^') value = value.charAt(0).toUpperCase() + value.slice(1);
    else if (e.operator === ',') value = value.charAt(0).toLowerCase() + value.slice(1);
    out += value;
  }
  out += text.slice(last).replace(/\$\$/g, '$');
  return { text: out, undefinedNames, unknownNames };
}
