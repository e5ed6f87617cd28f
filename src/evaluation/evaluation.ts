import type { HubContext } from '../graph/context.js';
import { DEPARTMENT_CATALOGUE } from '../hub/departments.js';
import { periodOf } from '../onceonly/metrics.js';
import { DEPARTMENT_SOURCES } from '../sources/index.js';
import type { DepartmentCaseStats } from '../sources/cases/index.js';
import type { SourceAvailabilityTotals } from './availabilityStore.js';
import { DIMENSIONS, INDICATORS, type Dimension, type EvaluationSettings, type IndicatorName } from './indicators.js';

export interface IndicatorResult {
  dimension: Dimension;
  name: IndicatorName;
  label: string;
  labelZh: string;
  value: number | null;
  target: number;
  lowerIsBetter: boolean;
  unit: 'SHARE' | 'PER_APPLICATION';
  met: boolean | null;
  score: number | null;
}

export interface DepartmentEvaluation extends Record<Dimension, number | null> {
  department: string;
  departmentName: string;
  departmentNameZh: string;
  score: number | null;
  indicators: IndicatorResult[];
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The smallest percent bucket at or past the middle decided case: the median of processing time against the limit. */
function medianOf(buckets: readonly [number, number][]): number | null {
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [percent, n] of buckets) {
    seen += n;
    if (seen >= total / 2) return percent / 100;
  }
  return null;
}

/**
 * An indicator's score, 0 to 100: the value against its target, capped at
 * 100 (reaching the target is full marks); for a lower-is-better indicator,
 * the target against the value.
 */
export function indicatorScore(value: number | null, target: number, lowerIsBetter: boolean): number | null {
  if (value === null) return null;
  if (lowerIsBetter) return value <= target ? 100 : (100 * target) / value;
  return Math.min(100, (100 * value) / target);
}

/** The mean of the scores that were measured; null when none was. */
const meanOf = (scores: readonly (number | null)[]): number | null => {
  const measured = scores.filter((s): s is number => s !== null);
  return measured.length === 0 ? null : measured.reduce((a, b) => a + b, 0) / measured.length;
};

/**
 * Indicator values of one department from its figures (pure, so that a test
 * can check it against a hand computation). The sources are those the
 * department's services run on: its own, and the case system when it decides
 * applications.
 */
export function indicatorValues(cases: DepartmentCaseStats | undefined, sources: readonly SourceAvailabilityTotals[]): Record<IndicatorName, number | null> {
  const sum = (key: keyof SourceAvailabilityTotals) => sources.reduce((total, s) => total + Number(s[key]), 0);
  const calls = sum('calls');
  return {
    availability: share(sum('checksUp'), sum('checks')),
    callSuccess: calls === 0 ? null : 1 - sum('callsFailed') / calls,
    withinLimitShare: cases ? share(cases.decidedWithinLimit, cases.decided) : null,
    medianShareOfLimit: cases ? medianOf(cases.shareOfLimit) : null,
    prefilledPerApplication: cases ? share(cases.itemsPrefilled, cases.online) : null,
    sharedItemsPerApplication: cases ? share(cases.itemsFromOthers, cases.online) : null,
    onlineShare: cases ? share(cases.online, cases.submitted) : null,
    prefilledShare: cases ? share(cases.itemsPrefilled, cases.itemsTotal) : null,
    satisfiedShare: cases ? share(cases.satisfied, cases.ratings) : null,
    followUpsInTime: cases ? share(cases.followUpsAnsweredInTime, cases.followUpsDue) : null,
  };
}

/** Scores one department's indicator values on every dimension and combines the dimensions with the weights (over those measured). */
export function evaluate(values: Record<IndicatorName, number | null>, settings: EvaluationSettings): Pick<DepartmentEvaluation, Dimension | 'score' | 'indicators'> {
  const indicators = INDICATORS.map((definition): IndicatorResult => {
    const value = values[definition.name];
    const target = settings.targets[definition.name];
    const score = indicatorScore(value, target, definition.lowerIsBetter);
    return {
      dimension: definition.dimension,
      name: definition.name,
      label: definition.label,
      labelZh: definition.labelZh,
      value: value === null ? null : round(value, 4),
      target,
      lowerIsBetter: definition.lowerIsBetter,
      unit: definition.unit,
      met: value === null ? null : definition.lowerIsBetter ? value <= target : value >= target,
      score: score === null ? null : round(score, 1),
    };
  });
  const dimensions = Object.fromEntries(DIMENSIONS.map((d) => [d, meanOf(indicators.filter((i) => i.dimension === d).map((i) => i.score))])) as Record<Dimension, number | null>;
  const weighted = DIMENSIONS.filter((d) => dimensions[d] !== null && settings.weights[d] > 0);
  const weightSum = weighted.reduce((sum, d) => sum + settings.weights[d], 0);
  const score = weightSum === 0 ? null : weighted.reduce((sum, d) => sum + dimensions[d]! * settings.weights[d], 0) / weightSum;
  return {
    ...(Object.fromEntries(DIMENSIONS.map((d) => [d, dimensions[d] === null ? null : round(dimensions[d]!, 1)])) as Record<Dimension, number | null>),
    score: score === null ? null : round(score, 1),
    indicators,
  };
}

/**
 * SPEC §6a: every department of the catalogue scored over [from, to] (both
 * inclusive). Each figure is one grouped SQL pass over the period (cases,
 * applications through the hub, ratings, follow-ups in the cases database;
 * hourly availability in the hub's); the scoring is arithmetic on a few dozen
 * numbers.
 */
export async function serviceEvaluation(ctx: HubContext, from: string | null, to: string | null): Promise<DepartmentEvaluation[]> {
  const period = periodOf(from, to);
  const [caseStats, services, availability] = await Promise.all([
    ctx.stores.cases.departmentStats(period.from, period.to),
    ctx.stores.cases.listServices(null),
    ctx.stores.availability.totals(period.from, period.to),
  ]);
  const deciding = new Set(services.map((s) => s.department));
  const caseSystem = DEPARTMENT_SOURCES.find((s) => s.name === 'cases');
  return DEPARTMENT_CATALOGUE.map((department) => {
    const sourceNames = new Set(DEPARTMENT_SOURCES.filter((s) => s.department === department.id).map((s) => s.name as string));
    if (deciding.has(department.id) && caseSystem) sourceNames.add(caseSystem.name);
    const values = indicatorValues(
      caseStats.find((c) => c.department === department.id),
      availability.filter((a) => sourceNames.has(a.source)),
    );
    return { department: department.id, departmentName: department.name, departmentNameZh: department.nameZh, ...evaluate(values, ctx.limits.evaluation) };
  });
}
