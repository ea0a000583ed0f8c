/**
 * Go (RE2) regular expressions from `.sops.yaml` and the sops metadata, translated to JavaScript.
 * The common subset passes through; RE2-only syntax is rewritten; anything JavaScript would read
 * differently and cannot be rewritten is rejected, because a silently different match would
 * encrypt the wrong keys.
 */
import { SopsError } from './errors';

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const PERL_CLASSES: Record<string, string> = { s: '[\\t\\n\\f\\r ]', S: '[^\\t\\n\\f\\r ]' };

function reject(source: string, what: string): never {
  throw new SopsError('REGEX', `unsupported Go regular expression ${JSON.stringify(source)}: ${what}`);
}

/** Translates a Go RE2 pattern to a JavaScript RegExp with the same matches (unanchored, as Go's `regexp.Match`). */
export function translateGoRegex(source: string): RegExp {
  let flags = '';
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1].includes('U')) reject(source, 'the (?U) ungreedy flag has no JavaScript equivalent');
    flags = [...new Set(lead[1])].join('');
    i = lead[0].length;
  }
  let out = '';
  let inClass = false;
  let unicode = false;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) reject(source, 'trailing backslash');
      if (n === 'z') { out += inClass ? reject(source, '\\z inside a character class') : '(?![\\s\\S])'; i += 2; continue; }
      if (n === 'A') { out += inClass ? reject(source, '\\A inside a character class') : '(?<![\\s\\S])'; i += 2; continue; }
      if (n === 'Q') {
        const end = source.indexOf('\\E', i + 2);
        const literal = source.slice(i + 2, end === -1 ? undefined : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end === -1 ? source.length : end + 2;
        continue;
      }
      if (n === 's' || n === 'S') { out += inClass ? (n === 's' ? '\\t\\n\\f\\r ' : reject(source, '\\S inside a character class')) : PERL_CLASSES[n]; i += 2; continue; }
      if (n === 'p' || n === 'P') {
        const m = /^\\[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(source.slice(i));
        if (!m) reject(source, 'malformed Unicode class');
        const name = m[1].replace(/[{}]/g, '');
        const negate = name.startsWith('^') !== (n === 'P');
        out += `\\${negate ? 'P' : 'p'}{${name.replace('^', '')}}`;
        unicode = true;
        i += m[0].length;
        continue;
      }
      if (n === 'x' && source[i + 2] === '{') {
        const m = /^\\x\{([0-9A-Fa-f]+)\}/.exec(source.slice(i));
        if (!m) reject(source, 'malformed \\x{…} escape');
        out += `\\u{${m[1]}}`;
        unicode = true;
        i += m[0].length;
        continue;
      }
      if (/[1-9]/.test(n)) reject(source, 'backreferences are not RE2 syntax');
      if (n === 'C') reject(source, '\\C (any byte) has no JavaScript equivalent');
      out += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && source[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(source.slice(i));
        if (!m || !(m[2] in POSIX_CLASSES)) reject(source, 'unknown POSIX character class');
        if (m[1]) reject(source, 'negated POSIX classes inside a class');
        out += POSIX_CLASSES[m[2]];
        i += m[0].length;
        continue;
      }
      if (c === '[') { out += '\\['; i++; continue; }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (source[i] === '^') { out += '^'; i++; }
      if (source[i] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i);
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) { out += `(?<${named[1]}>`; i += named[0].length; continue; }
      if (rest.startsWith('(?:')) { out += '(?:'; i += 3; continue; }
      if (/^\(\?[=!]|^\(\?<[=!]/.test(rest)) reject(source, 'lookaround assertions are not RE2 syntax');
      reject(source, 'inline flags are only supported at the very start, e.g. (?i)…');
    }
    out += c;
    i++;
  }
  if (inClass) reject(source, 'missing closing ]');
  try {
    return new RegExp(out, flags + (unicode ? 'u' : ''));
  } catch (e) {
    return reject(source, (e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

/** Compiles once per pattern; patterns come from a handful of config files. */
const cache = new Map<string, RegExp>();
export function goRegex(source: string): RegExp {
  let re = cache.get(source);
  if (!re) {
    re = translateGoRegex(source);
    cache.set(source, re);
  }
  return re;
}
