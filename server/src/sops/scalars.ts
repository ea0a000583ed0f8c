/**
 * Go text forms of leaf values. The MAC and the encrypted bytes are Go's representation
 * (`strconv`, `time.MarshalText`), so JavaScript's own number/boolean formatting must not leak in.
 */
import type { SopsScalar } from './tree';

/** `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expText] = m;
  const digits = lead + frac;
  const exp = Number(expText);
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  return digits.length <= intLen
    ? sign + digits + '0'.repeat(intLen - digits.length)
    : `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** Go's `strconv.ParseBool`. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)`: optional sign, base prefixes 0x/0o/0b, a bare leading 0 is octal. */
export function parseGoInt(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const body = m[2];
  let value: bigint;
  if (/^0[oO]/.test(body)) value = BigInt('0o' + body.slice(2));
  else if (/^0[0-7]+$/.test(body)) value = BigInt('0o' + body.slice(1));
  else value = BigInt(body.toLowerCase() === body ? body : body.slice(0, 2).toLowerCase() + body.slice(2));
  if (m[1] === '-') value = -value;
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** Go's `strconv.ParseFloat(s, 64)` for the decimal forms sops writes. */
export function parseGoFloat(text: string): number | undefined {
  const special: Record<string, number> = { NaN: NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };
  if (text in special) return special[text];
  if (!/^[+-]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text.replace(/_/g, ''));
}

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The bytes sops feeds into AES-GCM and the MAC for a leaf (`sops.ToBytes`). */
export function scalarToText(s: SopsScalar): string {
  switch (s.kind) {
    case 'str':
      return s.value;
    case 'int':
      return s.value.toString();
    case 'float':
      return formatGoFloat(s.value);
    case 'bool':
      return s.value ? 'True' : 'False';
    case 'time':
      return s.value;
    case 'null':
      return '';
  }
}

/**
 * Types a plain (unquoted, untagged) YAML scalar the way go-yaml v3 does, which differs from
 * YAML 1.2 libraries: `014` is octal, `1_000` is an int, `yes` is a string, timestamps are times.
 */
export function resolvePlainYamlScalar(text: string): SopsScalar {
  if (['', '~', 'null', 'Null', 'NULL'].includes(text)) return { kind: 'null' };
  if (['true', 'True', 'TRUE'].includes(text)) return { kind: 'bool', value: true };
  if (['false', 'False', 'FALSE'].includes(text)) return { kind: 'bool', value: false };
  if (['.nan', '.NaN', '.NAN'].includes(text)) return { kind: 'float', value: NaN };
  if (['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].includes(text)) return { kind: 'float', value: Infinity };
  if (['-.inf', '-.Inf', '-.INF'].includes(text)) return { kind: 'float', value: -Infinity };
  const first = text[0];
  if (first === '.') {
    const f = YAML_FLOAT.test(text) ? Number(text) : undefined;
    if (f !== undefined) return { kind: 'float', value: f };
    return { kind: 'str', value: text };
  }
  if (!/[-+0-9]/.test(first)) return { kind: 'str', value: text };
  const time = parseYamlTimestamp(text);
  if (time !== undefined) return time === text ? { kind: 'time', value: time } : { kind: 'time', value: time, source: text };
  const plain = text.replace(/_/g, '');
  const int = parseGoInt(plain);
  if (int !== undefined) return { kind: 'int', value: int };
  if (YAML_FLOAT.test(plain)) return { kind: 'float', value: Number(plain) };
  return { kind: 'str', value: text };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * go-yaml's timestamp forms (`2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`, lower-case `t`,
 * `2006-1-2 15:4:5.999999999`), returned in `time.MarshalText` form; undefined if not a timestamp.
 */
export function parseYamlTimestamp(text: string): string | undefined {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, tSep, spaceSep, h, mi, s, frac, zone] = m;
  if (tSep && !zone) return undefined;
  if (spaceSep && zone) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return undefined;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return undefined;
  const pad = (n: string | number, w = 2) => String(n).padStart(w, '0');
  const date = `${y}-${pad(month)}-${pad(day)}`;
  if (!h) return `${date}T00:00:00Z`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const fraction = frac ? frac.slice(0, 9).replace(/0+$/, '') : '';
  const tz = !zone || zone === 'Z' || zone === '+00:00' ? 'Z' : zone;
  return `${date}T${pad(h)}:${pad(mi)}:${pad(s)}${fraction ? '.' + fraction : ''}${tz}`;
}
