// RFC 8288 Link header parsing: `<url>; rel="next"; title="x", <url2>; rel="last prev"`.

export interface Link {
  url: string;
  rels: string[];
  params: Record<string, string>;
}

/** Parses every link; URLs are resolved against `base`. Malformed parts are skipped, never thrown. */
export function parseLinkHeader(header: string, base: string): Link[] {
  const links: Link[] = [];
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf("<", i);
    if (open === -1) break;
    const close = header.indexOf(">", open);
    if (close === -1) break;
    const target = header.slice(open + 1, close).trim();
    i = close + 1;
    const params: Record<string, string> = {};
    // Parameters run until the next comma outside a quoted string.
    while (i < header.length) {
      while (i < header.length && /\s/.test(header[i] as string)) i++;
      if (header[i] === ",") {
        i++;
        break;
      }
      if (header[i] !== ";") {
        i++;
        continue;
      }
      i++;
      const eq = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(=\s*("((?:[^"\\]|\\.)*)"|[^;,\s]*))?/.exec(header.slice(i));
      if (!eq) continue;
      const name = (eq[1] as string).toLowerCase();
      const value = eq[4] !== undefined ? eq[4].replace(/\\(.)/g, "$1") : (eq[3] ?? "");
      if (!(name in params)) params[name] = value;
      i += eq[0].length;
    }
    try {
      links.push({ url: new URL(target, base).href, rels: (params.rel ?? "").toLowerCase().split(/\s+/).filter(Boolean), params });
    } catch {
      // an unresolvable target is not a link we can follow
    }
  }
  return links;
}

/** The rel="next" target, or null when the header has none. */
export function nextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  return parseLinkHeader(header, base).find((link) => link.rels.includes("next"))?.url ?? null;
}
