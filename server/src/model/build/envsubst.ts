// Flux's post-build substitution (kustomize-controller's envsubst): `${var}`, `${var:=default}`,
// `${var=default}`, `${var:-default}`, `${var-default}` (a default when the variable is unset or
// empty), `${var^^}` / `${var,,}` (case), `$${var}` for a literal `${var}`; `$var` without braces
// is left alone. Undefined variables become '' (Flux's non-strict default). The one parser of
// `${...}` expressions: everything that reads them should use `parseExpressions`.

/** One `${...}` expression of a text. */
export interface Expression {
  /** Offset of the `$` and the end (exclusive) of the closing `}`. */
  start: number;
  end: number;
  name: string;
  /** `:=`, `=`, `:-`, `-`, `^^`, `,,`, `^`, `,` or '' for a bare `${name}`. */
  operator: string;
  /** The default value (for the default operators). */
  argument?: string;
  /** Set when the expression is not one Flux can substitute (bad name, unsupported operator). */
  invalid?: string;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const OPERATORS = [':=', ':-', '=', '-', '^^', ',,', '^', ','];

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
    if (close < 0) break;
    const body = text.slice(i + 2, close);
    const name = NAME.exec(body)?.[0] ?? '';
    const rest = body.slice(name.length);
    const operator = OPERATORS.find((op) => rest.startsWith(op)) ?? '';
    const expression: Expression = { start: i, end: close + 1, name, operator };
    if (operator === ':=' || operator === ':-' || operator === '=' || operator === '-') expression.argument = rest.slice(operator.length);
    if (name === '') expression.invalid = `\${${body}} does not start with a variable name`;
    else if (operator === '' && rest !== '') expression.invalid = `\${${body}} uses an operator Flux does not substitute here`;
    else if ((operator === '^^' || operator === ',,' || operator === '^' || operator === ',') && rest !== operator) expression.invalid = `\${${body}} is not a case operator`;
    result.push(expression);
    i = close;
  }
  return result;
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
    if (e.invalid || (!has && unknown(e.name))) {
      if (!e.invalid) unknownNames.push(e.name);
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
