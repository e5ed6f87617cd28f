import type { ReactNode } from 'react';
import { describeErrors, type ApiError } from './api.js';

/** The API's errors, as it worded them; announced to screen readers when they appear. */
export function Errors({ errors, id, title }: { errors: ApiError[]; id?: string; title?: string }) {
  if (errors.length === 0) return null;
  const lines = describeErrors(errors);
  return (
    <div className="errors" role="alert" id={id}>
      {title && <p className="errors-title">{title}</p>}
      <ul>
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="card">
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A date-time as the steward's locale writes it, with the ISO value for machines. */
export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  const date = new Date(at);
  return <time dateTime={at}>{date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>;
}

/**
 * Copies `text` to the clipboard; without clipboard permission (plain http on
 * another host) selects `element`'s text for Ctrl+C instead. Says which happened.
 */
export async function copyOrSelect(text: string, element: HTMLElement): Promise<'copied' | 'selected'> {
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(element);
    window.getSelection()?.removeAllRanges();
    window.getSelection()?.addRange(range);
    return 'selected';
  }
}
