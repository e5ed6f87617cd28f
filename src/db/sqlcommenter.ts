/**
 * sqlcommenter comments (https://google.github.io/sqlcommenter/spec/): tags
 * appended to a statement's text, so that PostgreSQL's `pg_stat_activity`,
 * `log_statement` and `auto_explain` show who sent it and why.
 *
 * Format: `/*key='value',key2='value2'*\/`, keys sorted, each key and value
 * URL-encoded, then `'` in a value escaped as `\'`. URL encoding turns `/` into
 * `%2F`, so no value can contain `*\/` (closing the comment) or `/*` (a nested
 * comment in PostgreSQL, which would swallow the rest of the statement): a
 * value the caller chose cannot leave the comment.
 */

export type CommentTags = Readonly<Record<string, string | null | undefined>>;

/** The comment for these tags (unset ones left out), or '' when none is set. */
export function sqlComment(tags: CommentTags): string {
  const parts: string[] = [];
  for (const key of Object.keys(tags).sort()) {
    const value = tags[key];
    if (value === null || value === undefined) continue;
    parts.push(`${encode(key)}='${encode(value).replace(/'/g, "\\'")}'`);
  }
  return parts.length === 0 ? '' : `/*${parts.join(',')}*/`;
}

/** URL encoding that never throws: a lone surrogate becomes U+FFFD first. */
function encode(text: string): string {
  // String.prototype.toWellFormed is in Node 20 (ES2024), after our TypeScript lib's ES2022.
  return encodeURIComponent((text as string & { toWellFormed(): string }).toWellFormed());
}

/** The tags of a comment made by `sqlComment`, decoded (tests, and anyone reading a log). */
export function parseSqlComment(comment: string): Record<string, string> {
  const body = /\/\*(.*)\*\/\s*$/s.exec(comment)?.[1] ?? '';
  const tags: Record<string, string> = {};
  for (const match of body.matchAll(/([^=,]+)='((?:[^'\\]|\\.)*)'/g)) tags[decodeURIComponent(match[1])] = decodeURIComponent(match[2].replace(/\\'/g, "'"));
  return tags;
}
