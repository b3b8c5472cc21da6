/**
 * Reads a Netlify / Cloudflare Pages `_headers` file and answers which headers a path gets, so
 * `vite preview` and the e2e server send exactly what the static host will.
 * Supported: `#` comments, `*` (any characters, `/` included) and `:name` (one path segment).
 */

/** One block of the file: a path pattern and the headers for the paths it matches. */
export interface HeaderRule {
  readonly pattern: string;
  readonly headers: readonly (readonly [name: string, value: string])[];
}

/** Parses the file; throws with the line number on anything the hosts would not accept either. */
export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: { pattern: string; headers: [string, string][] }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (!/^\s/.test(line)) {
      if (!trimmed.startsWith('/')) throw new Error(`_headers line ${index + 1}: a path must start with "/"`);
      rules.push({ pattern: trimmed, headers: [] });
      return;
    }
    const colon = trimmed.indexOf(':');
    const rule = rules.at(-1);
    if (!rule || colon < 1) throw new Error(`_headers line ${index + 1}: expected "Name: value" under a path`);
    rule.headers.push([trimmed.slice(0, colon).trim(), trimmed.slice(colon + 1).trim()]);
  });
  return rules;
}

/**
 * The headers (lower-case names) for `pathname` (no query), from every rule that matches it. A header set by two
 * matching rules is an error: Netlify would keep the last value and Cloudflare would join both
 * (two CSPs, both enforced), so such a file does not mean the same thing on every host.
 */
export function headersFor(rules: readonly HeaderRule[], pathname: string): Map<string, string> {
  const result = new Map<string, string>();
  const setBy = new Map<string, string>();
  for (const rule of rules) {
    if (!patternToRegExp(rule.pattern).test(pathname)) continue;
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      const earlier = setBy.get(key);
      if (earlier !== undefined && earlier !== rule.pattern) {
        throw new Error(`_headers: ${pathname} gets ${name} from both ${earlier} and ${rule.pattern}`);
      }
      setBy.set(key, rule.pattern);
      // Repeated inside one block, a header is a list (how both hosts read it).
      const previous = result.get(key);
      result.set(key, previous === undefined ? value : `${previous}, ${value}`);
    }
  }
  return result;
}

function patternToRegExp(pattern: string): RegExp {
  const source = pattern
    .split(/(\*|:[A-Za-z]\w*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
