import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  RadarController,
  RadialLinearScale,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type PointStyle,
} from 'chart.js';
import { useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section } from '../components.js';
import { useFormat, type Format } from '../i18n.js';
import { DepartmentName, type Department } from './AccessMatrix.js';

Chart.register(RadarController, RadialLinearScale, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
// Axis and legend text dark enough to read (Chart.js defaults to a light grey).
Chart.defaults.color = '#3e4c59';

/** The evaluation dimensions of SPEC §6a, in the order the radar and the tables show them. */
const DIMENSIONS = ['operation', 'processingTime', 'benefit', 'technical', 'satisfaction'] as const;
type Dimension = (typeof DIMENSIONS)[number];
const isDimension = (name: string): name is Dimension => (DIMENSIONS as readonly string[]).includes(name);

interface Indicator {
  dimension: string;
  name: string;
  label: string;
  labelZh: string;
  value: number | null;
  target: number | null;
  lowerIsBetter: boolean;
  unit: 'SHARE' | 'PER_APPLICATION';
  met: boolean | null;
  score: number | null;
}
type DepartmentEvaluation = Record<Dimension, number | null> & {
  department: string;
  departmentName: string;
  departmentNameZh: string;
  score: number | null;
  indicators: Indicator[];
};

const EVALUATION = `query ConsoleServiceEvaluation($from: Date, $to: Date) {
  serviceEvaluation(from: $from, to: $to) {
    department departmentName departmentNameZh operation processingTime benefit technical satisfaction score
    indicators { dimension name label labelZh value target lowerIsBetter unit met score }
  }
}`;

/**
 * Follow-ups as a steward may see them: never the rating or the comment (the
 * citizen's personal data, FORBIDDEN to a steward). The counts are whole; the
 * list of overdue ones is at most a page (100), those waiting longest first.
 */
const FOLLOW_UPS = `query ConsoleRatingFollowUps {
  counts: ratingFollowUpCounts { open overdue }
  overdue: ratingFollowUps(status: OVERDUE, first: 100) { id caseNumber department openedAt dueAt status answeredBy answeredAt }
  departments { id name nameZh }
}`;
const PAGE = 100;
interface OverdueFollowUp {
  id: string;
  caseNumber: string;
  department: string;
  openedAt: string;
  dueAt: string;
}

interface MonthlyMetrics {
  serviceCode: string;
  serviceName: string;
  serviceNameZh: string;
  ratings: number;
  satisfaction: number | null;
}
/** serviceMetrics costs 5,000 of the 20,000 a request may cost (SPEC §7): three months per request, two requests at a time. */
const MONTHS_PER_REQUEST = 3;
const REQUESTS_AT_ONCE = 2;
/** At most this many months are charted (the last of the period); each is a serviceMetrics call. */
const MAX_MONTHS = 24;
/** The services charted: those rated most often over the months shown. */
const TOP_SERVICES = 5;

/**
 * Colours that stay apart for the common colour-vision deficiencies
 * (Okabe–Ito, darkened to at least 3:1 against white), each with its own
 * point shape and dash, so no series is told apart by colour alone.
 */
const SERIES: { colour: string; point: PointStyle; dash: number[] }[] = [
  { colour: '#0072B2', point: 'circle', dash: [] },
  { colour: '#D55E00', point: 'rect', dash: [6, 3] },
  { colour: '#007A5E', point: 'triangle', dash: [2, 2] },
  { colour: '#A6428A', point: 'rectRot', dash: [10, 3, 2, 3] },
  { colour: '#8A6100', point: 'star', dash: [12, 4] },
  { colour: '#3B3B3B', point: 'crossRot', dash: [4, 4] },
  { colour: '#1D6F99', point: 'rectRounded', dash: [1, 3] },
];
const seriesStyle = (i: number) => SERIES[i % SERIES.length];

/** A phone-sized window: charts put their legends below and use smaller text. */
const narrow = () => window.innerWidth < 600;

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The last 12 full calendar months: from the first day eleven months before last month to the last day of last month. */
function lastTwelveMonths(today = new Date()): { from: string; to: string } {
  const from = new Date(today.getFullYear(), today.getMonth() - 12, 1);
  const to = new Date(today.getFullYear(), today.getMonth(), 0);
  return { from: isoDay(from), to: isoDay(to) };
}

interface Month {
  /** The month's first day (YYYY-MM-01), its label's key. */
  month: string;
  /** The part of the month inside the period, both days included. */
  from: string;
  to: string;
}

/** The calendar months that [from, to] touches, each clipped to the period; the last MAX_MONTHS of them. */
function monthsOf(from: string, to: string): Month[] {
  const months: Month[] = [];
  let [year, month] = from.split('-').map(Number);
  const [endYear, endMonth] = to.split('-').map(Number);
  while (year < endYear || (year === endYear && month <= endMonth)) {
    const first = `${year}-${pad(month)}-01`;
    const last = `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
    months.push({ month: first, from: from > first ? from : first, to: to < last ? to : last });
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months.slice(-MAX_MONTHS);
}

/** Runs `tasks` with at most `size` of them under way at once; results in the tasks' order. */
async function inPool<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, worker));
  return results;
}

/** One request for a few months: serviceMetrics under an alias per month. */
function monthlyQuery(months: Month[]): { query: string; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  const declarations: string[] = [];
  const fields: string[] = [];
  months.forEach((m, i) => {
    variables[`from${i}`] = m.from;
    variables[`to${i}`] = m.to;
    declarations.push(`$from${i}: Date!, $to${i}: Date!`);
    fields.push(`m${i}: serviceMetrics(from: $from${i}, to: $to${i}) { serviceCode serviceName serviceNameZh ratings satisfaction }`);
  });
  return { query: `query ConsoleMonthlySatisfaction(${declarations.join(', ')}) {\n  ${fields.join('\n  ')}\n}`, variables };
}

/** Formatters of the evaluation's figures in the page's language. */
function useFigures(format: Format) {
  return useMemo(() => {
    const score = new Intl.NumberFormat(format.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const share = new Intl.NumberFormat(format.language, { style: 'percent', maximumFractionDigits: 1 });
    const plain = new Intl.NumberFormat(format.language, { maximumFractionDigits: 2 });
    const month = new Intl.DateTimeFormat(format.language, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    return {
      score: (n: number) => score.format(n),
      /** An indicator's value or target in its unit: a number per application as it is, a share of 0..1 as a percentage. */
      indicator: (unit: Indicator['unit'], n: number) => (unit === 'PER_APPLICATION' ? plain.format(n) : share.format(n)),
      share: (n: number) => share.format(n),
      month: (firstDay: string) => month.format(new Date(`${firstDay}T00:00:00Z`)),
    };
  }, [format.language]);
}

/** Serves the evaluation of SPEC §6a: the departments on five dimensions, their indicators, satisfaction by month, and follow-ups. */
export function Evaluation() {
  const { t } = useTranslation('console');
  const [period, setPeriod] = useState(lastTwelveMonths);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [problem, setProblem] = useState<string | null>(null);

  function apply(event: FormEvent) {
    event.preventDefault();
    if (!from || !to) return setProblem(t('evaluation.periodMissing'));
    if (to < from) return setProblem(t('evaluation.periodBackwards'));
    setProblem(null);
    setPeriod({ from, to });
  }

  return (
    <>
      <p className="lead">{t('evaluation.lead')}</p>
      <Section title={t('evaluation.period')}>
        <form onSubmit={apply} className="row" noValidate aria-describedby="evaluation-period-hint">
          <label>
            {t('evaluation.from')}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={problem ? true : undefined} />
          </label>
          <label>
            {t('evaluation.to')}
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={problem ? true : undefined} />
          </label>
          <div className="actions">
            <button type="submit">{t('evaluation.show')}</button>
          </div>
        </form>
        <p className="hint" id="evaluation-period-hint">
          {t('evaluation.periodHint')}
        </p>
        <Errors errors={problem ? [{ message: problem, local: true }] : []} />
      </Section>
      <Departments period={period} />
      <MonthlySatisfaction period={period} />
      <FollowUps />
    </>
  );
}

function Departments({ period }: { period: { from: string; to: string } }) {
  const { t } = useTranslation('console');
  const format = useFormat();
  const figures = useFigures(format);
  const evaluation = useQuery<{ serviceEvaluation: DepartmentEvaluation[] }>(EVALUATION, period);
  const evaluated = evaluation.data?.serviceEvaluation;
  /** Best overall score first; departments with nothing measured last. */
  const rows = useMemo(() => (evaluated ? [...evaluated].sort((a, b) => (b.score ?? -1) - (a.score ?? -1)) : null), [evaluated]);
  const dimensionName = (d: string) => (isDimension(d) ? t(`evaluation.dimension.${d}`) : d);

  const radar = useMemo((): ChartConfiguration<'radar', (number | null)[], string> | null => {
    if (!rows) return null;
    return {
      type: 'radar',
      data: {
        labels: DIMENSIONS.map((d) => t(`evaluation.dimension.${d}`)),
        datasets: rows.map((row, i) => {
          const style = seriesStyle(i);
          return {
            label: format.name({ name: row.departmentName, nameZh: row.departmentNameZh }),
            data: DIMENSIONS.map((d) => row[d]),
            borderColor: style.colour,
            backgroundColor: style.colour,
            borderDash: style.dash,
            borderWidth: 2,
            pointStyle: style.point,
            pointRadius: 4,
            pointHoverRadius: 6,
            fill: false,
          };
        }),
      },
      options: {
        locale: format.language,
        scales: { r: { min: 0, max: 100, ticks: { stepSize: 20, backdropColor: 'rgba(255,255,255,0.85)' }, pointLabels: { font: { size: narrow() ? 11 : 13 } } } },
        plugins: { legend: { position: narrow() ? 'bottom' : 'top', labels: { usePointStyle: true } } },
      },
    };
  }, [rows, t, format]);

  if (!rows) {
    return evaluation.loading ? <Loading text={t('evaluation.loading')} /> : <Errors errors={evaluation.errors} title={t('evaluation.failed')} />;
  }
  return (
    <>
      <Errors errors={evaluation.errors} title={t('evaluation.failed')} />
      <Section title={t('evaluation.dimensions')}>
        <p className="hint">{t('evaluation.dimensionsHint')}</p>
        <ChartView config={radar!} label={t('evaluation.radarLabel', { count: rows.length })} height={narrow() ? 420 : 460} />
        <div className="table-scroll" role="region" aria-label={t('evaluation.scoresRegion')} tabIndex={0}>
          <table className="list numbers evaluation-scores">
            <caption className="sr-only">{t('evaluation.scoresCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('evaluation.column.department')}</th>
                {DIMENSIONS.map((d) => (
                  <th scope="col" key={d}>
                    {t(`evaluation.dimension.${d}`)}
                  </th>
                ))}
                <th scope="col">{t('evaluation.column.score')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.department} data-department={row.department}>
                  <th scope="row">{format.name({ name: row.departmentName, nameZh: row.departmentNameZh })}</th>
                  {DIMENSIONS.map((d) => (
                    <td key={d} data-dimension={d}>
                      <Score value={row[d]} figures={figures} />
                    </td>
                  ))}
                  <td data-dimension="score" className="overall">
                    <Score value={row.score} figures={figures} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t('evaluation.indicators')}>
        <p className="hint">{t('evaluation.indicatorsHint')}</p>
        {rows.map((row) => {
          const name = format.name({ name: row.departmentName, nameZh: row.departmentNameZh });
          return (
            <details key={row.department} className="department-indicators" data-department={row.department}>
              <summary>
                {name}
                <span className="muted">
                  {' · '}
                  {row.score === null ? t('evaluation.noScore') : t('evaluation.overall', { score: figures.score(row.score) })}
                </span>
              </summary>
              <div className="table-scroll" role="region" aria-label={t('evaluation.indicatorsRegion', { department: name })} tabIndex={0}>
                <table className="list indicators">
                  <caption className="sr-only">{t('evaluation.indicatorsCaption', { department: name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('evaluation.column.dimension')}</th>
                      <th scope="col">{t('evaluation.column.indicator')}</th>
                      <th scope="col">{t('evaluation.column.value')}</th>
                      <th scope="col">{t('evaluation.column.target')}</th>
                      <th scope="col">{t('evaluation.column.met')}</th>
                      <th scope="col">{t('evaluation.column.indicatorScore')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {row.indicators.map((indicator) => (
                      <tr key={indicator.name} data-indicator={indicator.name}>
                        <td>{dimensionName(indicator.dimension)}</td>
                        <th scope="row">{format.language === 'zh-CN' ? indicator.labelZh : indicator.label}</th>
                        <td className="number">{indicator.value === null ? <NotMeasured /> : figures.indicator(indicator.unit, indicator.value)}</td>
                        <td className="number">
                          {indicator.target === null
                            ? '—'
                            : t(indicator.lowerIsBetter ? 'evaluation.atMost' : 'evaluation.atLeast', { target: figures.indicator(indicator.unit, indicator.target) })}
                        </td>
                        <td>
                          <Met met={indicator.met} />
                        </td>
                        <td className="number">
                          <Score value={indicator.score} figures={figures} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          );
        })}
      </Section>
    </>
  );
}

function NotMeasured() {
  const { t } = useTranslation('console');
  return (
    <span className="muted" title={t('evaluation.notMeasured')}>
      —<span className="sr-only"> {t('evaluation.notMeasured')}</span>
    </span>
  );
}

function Score({ value, figures }: { value: number | null; figures: ReturnType<typeof useFigures> }) {
  return value === null ? <NotMeasured /> : <>{figures.score(value)}</>;
}

/** Whether an indicator reached its target, in a sign and in words (never by colour alone). */
function Met({ met }: { met: boolean | null }) {
  const { t } = useTranslation('console');
  if (met === null) return <NotMeasured />;
  return <span className={`mark ${met ? 'granted' : 'refused'}`}>{met ? t('evaluation.met') : t('evaluation.notMet')}</span>;
}

interface MonthlyState {
  months: Month[];
  /** Per month, each service's ratings and satisfaction; null while not yet loaded. */
  results: (MonthlyMetrics[] | null)[];
  errors: ApiError[];
  done: boolean;
}

/** Satisfaction per month of the services rated most often, from serviceMetrics month by month. */
function MonthlySatisfaction({ period }: { period: { from: string; to: string } }) {
  const { t } = useTranslation('console');
  const format = useFormat();
  const figures = useFigures(format);
  const [state, setState] = useState<MonthlyState | null>(null);

  useEffect(() => {
    let current = true;
    const months = monthsOf(period.from, period.to);
    setState({ months, results: months.map(() => null), errors: [], done: false });
    const chunks: Month[][] = [];
    for (let i = 0; i < months.length; i += MONTHS_PER_REQUEST) chunks.push(months.slice(i, i + MONTHS_PER_REQUEST));
    void inPool(
      chunks.map((chunk, c) => async () => {
        const { query, variables } = monthlyQuery(chunk);
        const result = await graphql<Record<string, MonthlyMetrics[]>>(query, variables);
        if (!current) return;
        setState((s) => {
          if (!s) return s;
          const results = [...s.results];
          chunk.forEach((_, i) => (results[c * MONTHS_PER_REQUEST + i] = result.data?.[`m${i}`] ?? []));
          return { ...s, results, errors: [...s.errors, ...result.errors] };
        });
      }),
      REQUESTS_AT_ONCE,
    ).then(() => current && setState((s) => (s ? { ...s, done: true } : s)));
    return () => {
      current = false;
    };
  }, [period.from, period.to]);

  const shown = useMemo(() => {
    if (!state?.done) return null;
    const totals = new Map<string, { service: MonthlyMetrics; ratings: number }>();
    for (const month of state.results) {
      for (const m of month ?? []) {
        const total = totals.get(m.serviceCode) ?? { service: m, ratings: 0 };
        total.ratings += m.ratings;
        totals.set(m.serviceCode, total);
      }
    }
    const top = [...totals.values()].filter((s) => s.ratings > 0).sort((a, b) => b.ratings - a.ratings || a.service.serviceCode.localeCompare(b.service.serviceCode)).slice(0, TOP_SERVICES);
    return top.map(({ service, ratings }) => ({
      code: service.serviceCode,
      name: format.name({ name: service.serviceName, nameZh: service.serviceNameZh }),
      ratings,
      months: state.results.map((month) => month?.find((m) => m.serviceCode === service.serviceCode) ?? null),
    }));
  }, [state, format]);

  const line = useMemo((): ChartConfiguration<'line', (number | null)[], string> | null => {
    if (!state || !shown) return null;
    return {
      type: 'line',
      data: {
        labels: state.months.map((m) => figures.month(m.month)),
        datasets: shown.map((service, i) => {
          const style = seriesStyle(i);
          return {
            label: service.name,
            data: service.months.map((m) => (m?.satisfaction == null ? null : Math.round(m.satisfaction * 1000) / 10)),
            borderColor: style.colour,
            backgroundColor: style.colour,
            borderDash: style.dash,
            borderWidth: 2,
            pointStyle: style.point,
            pointRadius: 4,
            pointHoverRadius: 6,
            spanGaps: true,
          };
        }),
      },
      options: {
        locale: format.language,
        scales: {
          y: { min: 0, max: 100, title: { display: true, text: t('evaluation.monthly.axis') }, ticks: { callback: (value) => figures.share(Number(value) / 100) } },
        },
        plugins: {
          legend: { position: narrow() ? 'bottom' : 'top', labels: { usePointStyle: true } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${figures.share(Number(item.raw) / 100)}` } },
        },
      },
    };
  }, [state, shown, figures, format.language, t]);

  const loaded = state?.results.filter((r) => r !== null).length ?? 0;
  return (
    <Section title={t('evaluation.monthly.title')}>
      <p className="hint">{t('evaluation.monthly.hint', { count: TOP_SERVICES })}</p>
      {state && !state.done && <Loading text={t('evaluation.monthly.loading', { loaded, count: state.months.length })} />}
      <Errors errors={state?.errors ?? []} title={t('evaluation.monthly.failed')} />
      {shown && shown.length === 0 && <p className="muted">{t('evaluation.monthly.none')}</p>}
      {shown && shown.length > 0 && line && state && (
        <>
          <ChartView config={line} label={t('evaluation.monthly.chartLabel', { count: shown.length, months: state.months.length })} height={narrow() ? 360 : 380} />
          <div className="table-scroll" role="region" aria-label={t('evaluation.monthly.region')} tabIndex={0}>
            <table className="list numbers monthly">
              <caption className="sr-only">{t('evaluation.monthly.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('evaluation.column.service')}</th>
                  {state.months.map((m) => (
                    <th scope="col" key={m.month}>
                      {figures.month(m.month)}
                    </th>
                  ))}
                  <th scope="col">{t('evaluation.column.ratings')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((service) => (
                  <tr key={service.code} data-service={service.code}>
                    <th scope="row">{service.name}</th>
                    {service.months.map((m, i) => (
                      <td key={state.months[i].month}>
                        {m?.satisfaction == null ? (
                          <NotMeasured />
                        ) : (
                          <>
                            {figures.share(m.satisfaction)}{' '}
                            <span className="muted small" title={t('evaluation.monthly.ratingsTitle', { count: m.ratings })}>
                              {t('evaluation.monthly.ratings', { count: m.ratings })}
                            </span>
                          </>
                        )}
                      </td>
                    ))}
                    <td>{format.count(service.ratings)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}

/** Follow-ups of ratings of 1 or 2 as they stand now: how many are open and overdue, and which are overdue. */
function FollowUps() {
  const { t } = useTranslation('console');
  const format = useFormat();
  const followUps = useQuery<{ counts: { open: number; overdue: number }; overdue: OverdueFollowUp[]; departments: Department[] }>(FOLLOW_UPS);
  const data = followUps.data;
  const now = Date.now();
  const overdue = data ? [...data.overdue].sort((a, b) => b.dueAt.localeCompare(a.dueAt)) : [];
  const departments = new Map((data?.departments ?? []).map((d) => [d.id, d]));
  return (
    <Section title={t('evaluation.followUps.title')}>
      <p className="hint">{t('evaluation.followUps.hint')}</p>
      {!data && (followUps.loading ? <Loading text={t('evaluation.followUps.loading')} /> : <Errors errors={followUps.errors} title={t('evaluation.followUps.failed')} />)}
      {data && (
        <>
          <dl className="tallies">
            <div data-status="OPEN">
              <dt>{t('evaluation.followUps.open')}</dt>
              <dd>{format.count(data.counts.open)}</dd>
            </div>
            <div data-status="OVERDUE">
              <dt>{t('evaluation.followUps.overdue')}</dt>
              <dd>{format.count(data.counts.overdue)}</dd>
            </div>
          </dl>
          {overdue.length >= PAGE && <p className="hint">{t('evaluation.followUps.capped', { page: PAGE })}</p>}
          {overdue.length === 0 ? (
            <p className="muted">{t('evaluation.followUps.noneOverdue')}</p>
          ) : (
            <div className="table-scroll" role="region" aria-label={t('evaluation.followUps.region')} tabIndex={0}>
              <table className="list overdue">
                <caption className="sr-only">{t('evaluation.followUps.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('evaluation.column.case')}</th>
                    <th scope="col">{t('evaluation.column.department')}</th>
                    <th scope="col">{t('evaluation.column.due')}</th>
                    <th scope="col">{t('evaluation.column.daysOverdue')}</th>
                  </tr>
                </thead>
                <tbody>
                  {overdue.map((f) => (
                    <tr key={f.id} data-follow-up={f.id}>
                      <th scope="row">
                        <code>{f.caseNumber}</code>
                      </th>
                      <td>
                        <DepartmentName id={f.department} departments={departments} />
                      </td>
                      <td>
                        <time dateTime={f.dueAt}>{format.date(f.dueAt)}</time>
                      </td>
                      <td className="number">{t('evaluation.followUps.days', { count: Math.max(0, Math.floor((now - Date.parse(f.dueAt)) / 86_400_000)) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Section>
  );
}

/** A Chart.js chart; the canvas is one image for assistive technology, described by `label` (the table beside it has the figures). */
function ChartView<T extends ChartType>({ config, label, height }: { config: ChartConfiguration<T, (number | null)[], string>; label: string; height: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      ...config,
      options: { ...config.options, responsive: true, maintainAspectRatio: false, animation: false },
    } as ChartConfiguration<T, (number | null)[], string>);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
