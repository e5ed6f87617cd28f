import { newApiKey } from '../access/credentials.js';
import type { GrantCondition, Mask } from '../access/fields.js';
import type { HubStore } from './store.js';

/** The demo consumers of SPEC §9; the citizen portal signs citizens in. */
export const DEMO_CONSUMERS = [
  { id: 'licensing-desk', name: 'Licensing desk', department: 'licensing', role: 'consumer', portal: false },
  { id: 'benefits-office', name: 'Benefits office', department: 'civil-affairs', role: 'consumer', portal: false },
  { id: 'citizen-portal', name: 'Citizen portal', department: 'service-center', role: 'consumer', portal: true },
  { id: 'market-desk', name: 'Market regulation desk', department: 'market-regulation', role: 'consumer', portal: false },
  { id: 'data-steward', name: 'Data steward office', department: 'registry', role: 'steward', portal: false },
] as const;

type DemoGrant = { consumerId: string; field: string; purposes: string[]; condition?: GrantCondition; mask?: Mask };

/**
 * Sensible demo grants (issue 3 §9): the licensing desk reads name, birth date
 * and address to issue licenses, and a masked phone; the benefits office reads
 * households only for an open case of its own; the portal reads nothing on its
 * own key (citizens read their own data through citizen tokens). The market
 * desk reads who represents an enterprise and how to reach it, and an
 * enterprise's applications only for an open case of its own; registration
 * facts are public and need no grant.
 */
export const DEMO_GRANTS: DemoGrant[] = [
  { consumerId: 'licensing-desk', field: 'Citizen.name', purposes: ['LICENSE_ISSUANCE'] },
  { consumerId: 'licensing-desk', field: 'Citizen.birthDate', purposes: ['LICENSE_ISSUANCE'] },
  { consumerId: 'licensing-desk', field: 'Citizen.address', purposes: ['LICENSE_ISSUANCE'] },
  { consumerId: 'licensing-desk', field: 'Citizen.phone', purposes: ['LICENSE_ISSUANCE'], mask: 'PARTIAL' },
  { consumerId: 'licensing-desk', field: 'Citizen.licenses', purposes: ['LICENSE_ISSUANCE'] },
  { consumerId: 'licensing-desk', field: 'License.holder', purposes: ['LICENSE_ISSUANCE'] },
  // A holder's national ID, reached from a license, is data like any other (SPEC §4 "a key is data").
  { consumerId: 'licensing-desk', field: 'Citizen.id', purposes: ['LICENSE_ISSUANCE'] },
  { consumerId: 'benefits-office', field: 'Citizen.name', purposes: ['BENEFIT_ELIGIBILITY'] },
  { consumerId: 'benefits-office', field: 'Citizen.birthDate', purposes: ['BENEFIT_ELIGIBILITY'], mask: 'YEAR_ONLY' },
  { consumerId: 'benefits-office', field: 'Citizen.household', purposes: ['BENEFIT_ELIGIBILITY'], condition: 'ACTIVE_CASE' },
  { consumerId: 'benefits-office', field: 'Citizen.cases', purposes: ['BENEFIT_ELIGIBILITY'], condition: 'ACTIVE_CASE' },
  // Who lives in the applicant's household, and how they are related: each member is read as themself.
  { consumerId: 'benefits-office', field: 'Household.members', purposes: ['BENEFIT_ELIGIBILITY'], condition: 'ACTIVE_CASE' },
  { consumerId: 'benefits-office', field: 'HouseholdMember.relation', purposes: ['BENEFIT_ELIGIBILITY'] },
  { consumerId: 'benefits-office', field: 'HouseholdMember.citizen', purposes: ['BENEFIT_ELIGIBILITY'] },
  // Business licenses and food permits are issued to enterprises: the licensing desk checks who applies for one.
  { consumerId: 'licensing-desk', field: 'Enterprise.legalRepresentativeName', purposes: ['LICENSE_ISSUANCE'] },
  { consumerId: 'licensing-desk', field: 'Enterprise.contactPhone', purposes: ['LICENSE_ISSUANCE'], mask: 'PARTIAL' },
  { consumerId: 'market-desk', field: 'Enterprise.legalRepresentativeName', purposes: ['MARKET_SUPERVISION', 'CASE_PROCESSING'] },
  { consumerId: 'market-desk', field: 'Enterprise.legalRepresentative', purposes: ['MARKET_SUPERVISION', 'CASE_PROCESSING'] },
  // Inspectors call the enterprise: the whole number. Otherwise only while handling one of its applications.
  { consumerId: 'market-desk', field: 'Enterprise.contactPhone', purposes: ['MARKET_SUPERVISION'] },
  { consumerId: 'market-desk', field: 'Enterprise.contactPhone', purposes: ['CASE_PROCESSING'], condition: 'ACTIVE_CASE' },
  { consumerId: 'market-desk', field: 'Enterprise.cases', purposes: ['CASE_PROCESSING'], condition: 'ACTIVE_CASE' },
  // The representative is read as a citizen: name, and ID (a key is data) only for an open case.
  { consumerId: 'market-desk', field: 'Citizen.name', purposes: ['MARKET_SUPERVISION', 'CASE_PROCESSING'] },
  { consumerId: 'market-desk', field: 'Citizen.id', purposes: ['CASE_PROCESSING'], condition: 'ACTIVE_CASE' },
  // Which other enterprises the applicant represents, while deciding their application.
  { consumerId: 'market-desk', field: 'Citizen.enterprises', purposes: ['CASE_PROCESSING'], condition: 'ACTIVE_CASE' },
  // Each department answers the bad ratings of the cases it decided (ratingFollowUps lists only its own).
  ...(['licensing-desk', 'benefits-office', 'market-desk'] as const).flatMap((consumerId) => [
    { consumerId, field: 'RatingFollowUp.rating', purposes: ['RATING_FOLLOW_UP'] },
    { consumerId, field: 'RatingFollowUp.comment', purposes: ['RATING_FOLLOW_UP'] },
  ]),
];

export type DemoCredentials = Record<(typeof DEMO_CONSUMERS)[number]['id'], string>;

/**
 * Registers the demo consumers and their grants where missing, and issues each
 * a fresh API key. Returns the keys: they exist nowhere else in clear text.
 */
export async function seedDemoPolicy(store: HubStore): Promise<DemoCredentials> {
  const policy = await store.loadPolicy();
  const known = new Set(policy.consumers.map((c) => c.id));
  const withGrants = new Set(policy.grants.map((g) => g.consumerId));
  const keys: Partial<DemoCredentials> = {};
  for (const consumer of DEMO_CONSUMERS) {
    if (!known.has(consumer.id)) await store.insertConsumer({ ...consumer, createdBy: 'demo-seed' });
    if (!withGrants.has(consumer.id)) {
      for (const g of DEMO_GRANTS.filter((d) => d.consumerId === consumer.id)) {
        await store.insertGrant({ condition: 'NONE', mask: 'NONE', expiresAt: null, ...g, grantedBy: 'demo-seed' });
      }
    }
    const { key, hash, prefix } = newApiKey();
    await store.insertApiKey({ consumerId: consumer.id, hash, prefix, createdBy: 'demo-seed' });
    keys[consumer.id] = key;
  }
  return keys as DemoCredentials;
}
