/**
 * The evaluation system of SPEC §6a (issue 16): five dimensions, each scored
 * from indicators measured against targets. Targets and dimension weights are
 * configuration (EVALUATION_TARGETS, EVALUATION_WEIGHTS); these are the
 * defaults, documented in the README.
 */

export const DIMENSIONS = ['operation', 'processingTime', 'benefit', 'technical', 'satisfaction'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface IndicatorDefinition {
  readonly name: string;
  readonly dimension: Dimension;
  readonly label: string;
  readonly labelZh: string;
  /** The default target. */
  readonly target: number;
  /** True when less is better (time used against the legal limit): the score is target ÷ value. */
  readonly lowerIsBetter: boolean;
  /** What the value counts: a share of 0..1, or a number per application. */
  readonly unit: 'SHARE' | 'PER_APPLICATION';
}

export const INDICATORS = [
  { name: 'availability', dimension: 'operation', label: 'Share of readiness checks that found its systems up', labelZh: '系统可用率（巡检）', target: 0.995, lowerIsBetter: false, unit: 'SHARE' },
  { name: 'callSuccess', dimension: 'operation', label: 'Share of requests to its systems answered', labelZh: '系统调用成功率', target: 0.999, lowerIsBetter: false, unit: 'SHARE' },
  { name: 'withinLimitShare', dimension: 'processingTime', label: 'Share of cases decided within the legal time limit', labelZh: '按时办结率', target: 0.95, lowerIsBetter: false, unit: 'SHARE' },
  { name: 'medianShareOfLimit', dimension: 'processingTime', label: 'Median processing time as a share of the legal limit', labelZh: '办理时长中位数占法定时限比例', target: 0.5, lowerIsBetter: true, unit: 'SHARE' },
  { name: 'prefilledPerApplication', dimension: 'benefit', label: 'Items pre-filled per application (not asked again)', labelZh: '每件申请免填材料项数', target: 2, lowerIsBetter: false, unit: 'PER_APPLICATION' },
  { name: 'sharedItemsPerApplication', dimension: 'benefit', label: "Items pre-filled from other departments' data per application (a letter saved each)", labelZh: '每件申请跨部门共享免提交材料项数', target: 1, lowerIsBetter: false, unit: 'PER_APPLICATION' },
  { name: 'onlineShare', dimension: 'technical', label: 'Share of applications submitted online through the hub', labelZh: '网上申报率', target: 0.8, lowerIsBetter: false, unit: 'SHARE' },
  { name: 'prefilledShare', dimension: 'technical', label: 'Share of application items pre-filled', labelZh: '申请材料免填率', target: 0.5, lowerIsBetter: false, unit: 'SHARE' },
  { name: 'satisfiedShare', dimension: 'satisfaction', label: 'Share of ratings that are 4 or 5', labelZh: '好评率', target: 0.9, lowerIsBetter: false, unit: 'SHARE' },
  { name: 'followUpsInTime', dimension: 'satisfaction', label: 'Share of follow-ups answered by their due date', labelZh: '差评按期整改率', target: 0.95, lowerIsBetter: false, unit: 'SHARE' },
] as const satisfies readonly IndicatorDefinition[];

export type IndicatorName = (typeof INDICATORS)[number]['name'];
export const INDICATOR_NAMES = INDICATORS.map((i) => i.name) as readonly IndicatorName[];

/** Default weights of the dimensions in the combined score (relative; they need not add up to anything). */
export const DEFAULT_WEIGHTS: Readonly<Record<Dimension, number>> = { operation: 15, processingTime: 25, benefit: 20, technical: 15, satisfaction: 25 };

export interface EvaluationSettings {
  readonly targets: Readonly<Record<IndicatorName, number>>;
  readonly weights: Readonly<Record<Dimension, number>>;
}

export const DEFAULT_TARGETS = Object.fromEntries(INDICATORS.map((i) => [i.name, i.target])) as Record<IndicatorName, number>;

/**
 * Parses `name=value,name=value` over `names` (EVALUATION_TARGETS, EVALUATION_WEIGHTS): every problem is
 * returned at once, in words; unnamed entries keep their defaults.
 */
export function parseSettingList<N extends string>(text: string, names: readonly N[], defaults: Readonly<Record<N, number>>, allowZero: boolean): { value: Record<N, number>; problems: string[] } {
  const value = { ...defaults } as Record<N, number>;
  const problems: string[] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [name, raw, ...rest] = entry.split('=').map((p) => p.trim());
    const number = Number(raw);
    if (!(names as readonly string[]).includes(name)) problems.push(`"${name}" is not one of ${names.join(', ')}`);
    else if (raw === undefined || raw === '' || rest.length > 0 || !Number.isFinite(number) || number < 0 || (!allowZero && number === 0)) {
      problems.push(`"${entry}" needs a ${allowZero ? 'non-negative' : 'positive'} number, as in ${name}=${defaults[name as N]}`);
    } else value[name as N] = number;
  }
  return { value, problems };
}
