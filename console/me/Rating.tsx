import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiError } from '../src/api.js';
import { Errors, When } from '../src/components.js';
import { useFormat } from '../src/i18n.js';
import { ask } from './session.js';

/**
 * Rating a decided case (SPEC §6a, 政务服务"好差评"): once, 1 (very
 * dissatisfied) to 5 (very satisfied), with an optional comment. A rating of
 * 1 or 2 opens a follow-up that the deciding department answers on this page.
 */

export type FollowUpStatus = 'OPEN' | 'ANSWERED' | 'OVERDUE';
export interface CaseRating {
  rating: number | null;
  comment: string | null;
  ratedAt: string;
  followUp: { id: string; status: FollowUpStatus; dueAt: string; response: string | null; answeredAt: string | null } | null;
}

/** What /me selects of a case's rating (Case.rating) and what rateCase returns. */
export const RATING_FIELDS = `rating comment ratedAt followUp { id status dueAt response answeredAt }`;
const RATE = `mutation RateCase($caseNumber: String!, $rating: Int!, $comment: String) {
  rateCase(caseNumber: $caseNumber, rating: $rating, comment: $comment) { ${RATING_FIELDS} }
}`;

const LEVELS = [1, 2, 3, 4, 5] as const;
type Level = (typeof LEVELS)[number];
/** Each level's words (me.rating.level in the locale files). */
const LEVEL_WORDS = { 1: 'veryDissatisfied', 2: 'dissatisfied', 3: 'fairlySatisfied', 4: 'satisfied', 5: 'verySatisfied' } as const satisfies Record<Level, string>;
const isLevel = (n: number | null): n is Level => n !== null && (LEVELS as readonly number[]).includes(n);
/** The hub's limit on a comment (rateCase). */
export const COMMENT_MAX = 500;

/** Five stars, as many filled as the rating: a picture for the eye, the words beside it for everyone. */
function Stars({ rating }: { rating: number }) {
  return (
    <span className="stars" aria-hidden="true">
      {'★'.repeat(rating)}
      <span className="stars-off">{'☆'.repeat(5 - rating)}</span>
    </span>
  );
}

/** A decided case's rating, or the control to give one. `department` is the deciding department in words. */
export function CaseRatingPart({ caseNumber, initial, department }: { caseNumber: string; initial: CaseRating | null; department: string }) {
  const [rating, setRating] = useState(initial);
  const [justRated, setJustRated] = useState(false);
  if (rating) return <RatingShown rating={rating} department={department} justRated={justRated} />;
  return (
    <RateCase
      caseNumber={caseNumber}
      onRated={(given) => {
        setRating(given);
        setJustRated(true);
      }}
    />
  );
}

function RatingShown({ rating, department, justRated }: { rating: CaseRating; department: string; justRated: boolean }) {
  const { t } = useTranslation('me');
  const format = useFormat();
  const box = useRef<HTMLDivElement>(null);
  // Just given: the rating replaced the form, so the focus goes to it (and a screen reader reads the thanks).
  useEffect(() => {
    if (justRated) box.current?.focus();
  }, [justRated]);
  const followUp = rating.followUp;
  return (
    <div className="rating" ref={box} tabIndex={-1} data-rating={rating.rating ?? undefined}>
      {justRated && (
        <div className="rated-now">
          <p>{t('rating.thanks')}</p>
          {followUp && <p>{t('rating.followUpOpened', { department, date: format.date(followUp.dueAt) })}</p>}
        </div>
      )}
      <h4>{t('rating.yours')}</h4>
      {isLevel(rating.rating) && (
        <p className="given">
          <Stars rating={rating.rating} /> {t('rating.outOf', { rating: rating.rating, words: t(`rating.level.${LEVEL_WORDS[rating.rating]}`) })}
        </p>
      )}
      <dl className="facts">
        <dt>{t('rating.ratedAt')}</dt>
        <dd>
          <When at={rating.ratedAt} />
        </dd>
        {rating.comment && (
          <>
            <dt>{t('rating.youWrote')}</dt>
            <dd className="note">{rating.comment}</dd>
          </>
        )}
        {followUp && (
          <>
            <dt>{t('rating.followUp')}</dt>
            <dd>
              <span className={`badge follow-up-${followUp.status.toLowerCase()}`}>{t(`rating.followUpStatus.${followUp.status}`)}</span>{' '}
              {followUp.status === 'ANSWERED' ? null : t(followUp.status === 'OVERDUE' ? 'rating.wasDue' : 'rating.dueBy', { department, date: format.date(followUp.dueAt) })}
            </dd>
          </>
        )}
      </dl>
      {followUp?.status === 'ANSWERED' && (
        <div className="answer">
          <p>
            <strong>{t('rating.answer', { department })}</strong> · <When at={followUp.answeredAt} />
          </p>
          <p className="note response">{followUp.response}</p>
        </div>
      )}
    </div>
  );
}

/** The hub's refusal of a rating in a sentence of the page's language, by the argument it names; otherwise its own errors. */
function refusalOf(errors: ApiError[], t: TFunction<'me'>): ApiError[] {
  const argument = errors.find((e) => e.extensions?.code === 'BAD_USER_INPUT')?.extensions?.argument;
  if (argument === 'caseNumber' || argument === 'rating' || argument === 'comment') return [{ message: t(`rating.refusedBecause.${argument}`), local: true }];
  return errors;
}

function RateCase({ caseNumber, onRated }: { caseNumber: string; onRated(rating: CaseRating): void }) {
  const { t } = useTranslation('me');
  const id = useId();
  const [open, setOpen] = useState(false);
  const [level, setLevel] = useState<Level | null>(null);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  /** Opened: the focus goes to the first level. Cancelled: back to the button that opened the form. */
  const opened = useRef(false);
  useEffect(() => {
    if (open) first.current?.focus();
    else if (opened.current) opener.current?.focus();
    opened.current ||= open;
  }, [open]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (level === null) {
      setErrors([{ message: t('rating.levelMissing'), local: true }]);
      first.current?.focus();
      return;
    }
    setErrors([]);
    setBusy(true);
    const result = await ask<{ rateCase: CaseRating }>(RATE, { caseNumber, rating: level, comment: comment.trim() || null });
    setBusy(false);
    if (result.data?.rateCase) onRated(result.data.rateCase);
    else setErrors(refusalOf(result.errors, t));
  }

  if (!open) {
    return (
      <div className="rate">
        <p className="muted small">{t('rating.notYet')}</p>
        <button type="button" ref={opener} onClick={() => setOpen(true)}>
          {t('rating.open')}
        </button>
      </div>
    );
  }
  const counter = `${id}-counter`;
  return (
    <form className="rate rate-form" onSubmit={submit} noValidate aria-label={t('rating.formLabel', { caseNumber })}>
      <fieldset aria-describedby={errors.length ? `${id}-problem` : undefined}>
        <legend>{t('rating.question')}</legend>
        <div className="levels">
          {LEVELS.map((n) => (
            <label key={n} className="check level">
              <input ref={n === 1 ? first : undefined} type="radio" name={`${id}-level`} value={n} checked={level === n} onChange={() => {
                  setLevel(n);
                  // A level chosen answers "choose a level"; the hub's refusals stay until the next try.
                  setErrors((shown) => shown.filter((e) => !e.local));
                }}
              />
              <span>
                <Stars rating={n} /> {t(`rating.level.${LEVEL_WORDS[n]}`)}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        {t('rating.comment')}
        <textarea rows={3} maxLength={COMMENT_MAX} value={comment} onChange={(e) => setComment(e.target.value)} aria-describedby={counter} />
      </label>
      <p className="hint" id={counter}>
        {t('rating.counter', { length: comment.length, max: COMMENT_MAX })}
      </p>
      {level !== null && level <= 2 && <p className="hint">{t('rating.lowHint')}</p>}
      <Errors errors={errors} id={`${id}-problem`} title={errors.some((e) => !e.local) ? t('rating.refused') : undefined} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('rating.busy') : t('rating.submit')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setOpen(false);
            setErrors([]);
          }}
        >
          {t('rating.cancel')}
        </button>
      </div>
    </form>
  );
}
