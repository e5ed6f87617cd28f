import { useId, type FormEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from './api.js';
import { useFormat } from './i18n.js';
import { en } from './locales/en.js';

type KnownCode = keyof typeof en.common.errorCode;
const isKnownCode = (code: unknown): code is KnownCode => typeof code === 'string' && Object.hasOwn(en.common.errorCode, code);

/**
 * Errors, announced to screen readers when they appear. The hub's messages are
 * for developers and stay in English (marked so): each error code gets one
 * sentence in the page's language above them. What the console itself found
 * wrong (`local`) is already in the page's language.
 */
export function Errors({ errors, id, title }: { errors: ApiError[]; id?: string; title?: string }) {
  const { t } = useTranslation('common');
  if (errors.length === 0) return null;
  const codes = [...new Set(errors.map((e) => e.extensions?.code))].filter(isKnownCode);
  return (
    <div className="errors" role="alert" id={id}>
      {title && <p className="errors-title">{title}</p>}
      {codes.map((code) => (
        <p key={code} className="error-code">
          {t(`errorCode.${code}`)}
        </p>
      ))}
      <ul>
        {errors.flatMap((e, i) =>
          e.local ? (
            <li key={i}>{e.message}</li>
          ) : e.extensions?.problems?.length ? (
            e.extensions.problems.map((p, j) => (
              <li key={`${i}.${j}`} lang="en" className="developer-message">
                {p.argument}: {p.message}
              </li>
            ))
          ) : (
            <li key={i} lang="en" className="developer-message">
              {e.message}
            </li>
          ),
        )}
      </ul>
    </div>
  );
}

type FieldWords = typeof en.common.field;
/**
 * A personal field (`Citizen.phone`) in words in the page's language ("phone
 * number"); a field the locale files do not name yet shows as it is.
 */
export function useFieldWords(): (field: string) => string {
  const { t } = useTranslation('common');
  return (field) => {
    const [type, name] = field.split('.');
    const known = Object.hasOwn(en.common.field, type) && Object.hasOwn(en.common.field[type as keyof FieldWords], name);
    return known ? t(`field.${type}.${name}` as 'field.Citizen.name') : field;
  };
}

export function Loading({ text }: { text: string }) {
  return (
    <p className="muted" role="status">
      {text}
    </p>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
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

/** A date-time as the page's language writes it, with the ISO value for machines. */
export function When({ at }: { at: string | null | undefined }) {
  const format = useFormat();
  if (!at) return <span className="muted">—</span>;
  return <time dateTime={at}>{format.dateTime(at)}</time>;
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

/**
 * The sign-in form of the console and of /me: one secret (a steward's API key, a citizen's token) pasted and
 * sent. The page keeps the state and decides what a refusal says; this draws the field, its hint and problems.
 */
export function SecretForm(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange(value: string): void;
  inputRef: RefObject<HTMLInputElement | null>;
  problem: ApiError[];
  busy: boolean;
  busyText: string;
  submitText: string;
  onSubmit(event: FormEvent): void;
}) {
  const hintId = `${props.id}-hint`;
  return (
    <form onSubmit={props.onSubmit} className="card" noValidate>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        ref={props.inputRef}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-describedby={props.problem.length ? `signin-problem ${hintId}` : hintId}
        aria-invalid={props.problem.length ? true : undefined}
      />
      <p id={hintId} className="hint">
        {props.hint}
      </p>
      <Errors errors={props.problem} id="signin-problem" />
      <button type="submit" disabled={props.busy}>
        {props.busy ? props.busyText : props.submitText}
      </button>
    </form>
  );
}
