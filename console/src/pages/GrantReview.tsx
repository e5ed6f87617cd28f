import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section, useFieldWords, When } from '../components.js';
import { useFormat } from '../i18n.js';
import { GrantSummary, inForce, type Grant } from './AccessMatrix.js';

interface ReviewedGrant extends Grant {
  lastUsedAt: string | null;
  usesLast90Days: number;
}

const GRANTS = `query GrantReview {
  grants { id consumerId field purposes condition mask expiresAt grantedBy grantedAt revokedAt lastUsedAt usesLast90Days }
  consumers { id name }
}`;
const REVOKE = `mutation ConsoleReviewRevoke($id: ID!) { revokeGrant(id: $id) { id revokedAt } }`;

const DAY = 24 * 60 * 60 * 1000;

/**
 * Why a grant is up for review (issue 15 §5): unused for 90 days (none of its
 * uses in the last 90 days, and given more than 90 days ago: a new grant has
 * not had the time), or ending within 30 days.
 */
export function reviewOf(grant: ReviewedGrant, now = Date.now()): { unused: boolean; expiring: boolean } {
  const unused = grant.usesLast90Days === 0 && Date.parse(grant.grantedAt) < now - 90 * DAY && (!grant.lastUsedAt || Date.parse(grant.lastUsedAt) < now - 90 * DAY);
  const expiring = grant.expiresAt !== null && Date.parse(grant.expiresAt) < now + 30 * DAY;
  return { unused, expiring };
}

/** Every grant in force with its use and expiry; those to review first, each with a revoke button that asks for confirmation. */
export function GrantReview() {
  const { t } = useTranslation('console');
  const format = useFormat();
  const words = useFieldWords();
  const grants = useQuery<{ grants: ReviewedGrant[]; consumers: { id: string; name: string }[] }>(GRANTS);
  const [all, setAll] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);

  if (!grants.data) return <Section title={t('review.title')}>{grants.loading ? <Loading text={t('review.title')} /> : <Errors errors={grants.errors} />}</Section>;
  const now = Date.now();
  const names = new Map(grants.data.consumers.map((c) => [c.id, c.name]));
  const rows = grants.data.grants
    .filter((g) => inForce(g, now))
    .map((g) => ({ grant: g, ...reviewOf(g, now) }))
    .sort((a, b) => {
      const rank = (r: { unused: boolean; expiring: boolean }) => (r.unused || r.expiring ? 0 : 1);
      const expiry = (g: Grant) => (g.expiresAt ? Date.parse(g.expiresAt) : Infinity);
      return rank(a) - rank(b) || expiry(a.grant) - expiry(b.grant) || a.grant.consumerId.localeCompare(b.grant.consumerId) || a.grant.field.localeCompare(b.grant.field);
    });
  const toReview = rows.filter((r) => r.unused || r.expiring);
  const shown = all ? rows : toReview;

  async function revoke(grant: ReviewedGrant) {
    const consumer = names.get(grant.consumerId) ?? grant.consumerId;
    const result = await graphql(REVOKE, { id: grant.id });
    setConfirming(null);
    setErrors(result.errors);
    if (result.errors.length === 0) {
      setStatus(t('review.revoked', { field: grant.field, consumer }));
      await grants.reload();
    }
  }

  return (
    <Section
      title={t('review.title')}
      actions={
        <button type="button" className="secondary" aria-pressed={all} onClick={() => setAll(!all)}>
          {all ? t('review.showReview') : t('review.showAll', { count: rows.length })}
        </button>
      }
    >
      <p className="lead">{t('review.lead')}</p>
      <p data-testid="review-count">
        <strong>{toReview.length > 0 ? t('review.needsReview', { count: toReview.length }) : t('review.nothingToReview')}</strong>
      </p>
      <p role="status" className="status">
        {status}
      </p>
      <Errors errors={errors} title={t('review.refused')} />
      {shown.length > 0 && (
        <div className="table-scroll" role="region" aria-label={t('review.region')} tabIndex={0}>
          <table className="list review">
            <caption className="sr-only">{t('review.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('review.column.consumer')}</th>
                <th scope="col">{t('review.column.field')}</th>
                <th scope="col">{t('review.column.terms')}</th>
                <th scope="col">{t('review.column.lastUsed')}</th>
                <th scope="col">{t('review.column.uses')}</th>
                <th scope="col">{t('review.column.expires')}</th>
                <th scope="col">{t('review.column.review')}</th>
                <th scope="col">
                  <span className="sr-only">{t('review.column.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map(({ grant, unused, expiring }) => {
                const consumer = names.get(grant.consumerId) ?? grant.consumerId;
                return (
                  <tr key={grant.id} data-grant={grant.id} data-consumer={grant.consumerId} data-field={grant.field} className={unused || expiring ? 'to-review' : undefined}>
                    <td>
                      {consumer} <span className="muted small">({grant.consumerId})</span>
                    </td>
                    <td>
                      <code>{grant.field}</code>
                      {words(grant.field) !== grant.field && <span className="muted small"> · {words(grant.field)}</span>}
                    </td>
                    <td>
                      <GrantSummary grant={grant} />
                    </td>
                    <td>{grant.lastUsedAt ? <When at={grant.lastUsedAt} /> : <span className="muted">{t('review.never')}</span>}</td>
                    <td className="number">{format.count(grant.usesLast90Days)}</td>
                    <td>{grant.expiresAt ? <When at={grant.expiresAt} /> : <span className="muted">{t('review.noExpiry')}</span>}</td>
                    <td>
                      {unused && <span className="tag review">{t('review.unused')}</span>}
                      {expiring && <span className="tag review">{t('review.expiring')}</span>}
                    </td>
                    <td className="actions">
                      {confirming === grant.id ? (
                        <>
                          <button type="button" className="danger" onClick={() => void revoke(grant)} autoFocus>
                            {t('review.confirm', { field: grant.field, consumer })}
                          </button>
                          <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                            {t('review.keep')}
                            <span className="sr-only">{t('review.keepRest', { field: grant.field, consumer })}</span>
                          </button>
                        </>
                      ) : (
                        <button type="button" className="danger" onClick={() => setConfirming(grant.id)}>
                          {t('review.revoke')}
                          <span className="sr-only">{t('review.revokeRest', { field: grant.field, consumer })}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
