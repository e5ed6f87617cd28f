import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section } from '../components.js';
import { useFormat, type Format } from '../i18n.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
// Axis and legend text dark enough to read (Chart.js defaults to a light grey).
Chart.defaults.color = '#3e4c59';

interface ServiceMetrics {
  serviceCode: string;
  serviceName: string;
  serviceNameZh: string;
  timeLimitDays: number;
  submitted: number;
  decided: number;
  medianDays: number | null;
  p90Days: number | null;
  withinLimitShare: number | null;
  itemsPrefilled: number;
  itemsCollected: number;
  itemsRecollected: number;
  crossDepartmentReads: number;
}

const METRICS = `query ConsoleServiceMetrics($from: Date, $to: Date) {
  serviceMetrics(from: $from, to: $to) {
    serviceCode serviceName serviceNameZh timeLimitDays submitted decided medianDays p90Days withinLimitShare
    itemsPrefilled itemsCollected itemsRecollected crossDepartmentReads
  }
}`;

/** Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS = { median: '#0072B2', p90: '#E69F00', limit: '#6B7280', prefilled: '#009E73', collected: '#D55E00', recollected: '#CC79A7' };

export function Performance() {
  const { t } = useTranslation('console');
  const format = useFormat();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const metrics = useQuery<{ serviceMetrics: ServiceMetrics[] }>(METRICS, range);

  function apply(event: FormEvent) {
    event.preventDefault();
    setRange({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
  }

  const metricRows = metrics.data?.serviceMetrics;
  /** Each service under its name in the page's language. */
  const rows = useMemo(() => metricRows?.map((r) => ({ ...r, serviceName: format.name({ name: r.serviceName, nameZh: r.serviceNameZh }) })) ?? null, [metricRows, format]);
  const charts = useMemo(() => (rows ? chartsOf(rows, t, format) : null), [rows, t, format]);
  return (
    <>
      <Section title={t('performance.period')}>
        <form onSubmit={apply} className="row" noValidate>
          <label>
            {t('performance.from')}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('performance.to')}
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <div className="actions">
            <button type="submit">{t('performance.show')}</button>
          </div>
        </form>
        <p className="hint">{t('performance.periodHint')}</p>
      </Section>
      {metrics.loading && !rows && <Loading text={t('performance.loading')} />}
      <Errors errors={metrics.errors} title={t('performance.failed')} />
      {rows && rows.length === 0 && <p className="muted">{t('performance.noCases')}</p>}
      {rows && rows.length > 0 && (
        <>
          <Section title={t('performance.times')}>
            <BarChart label={t('performance.timesLabel', { count: rows.length })} config={charts!.times} rows={rows.length} />
          </Section>
          <Section title={t('performance.items')}>
            {rows.every((r) => r.itemsPrefilled + r.itemsCollected + r.itemsRecollected === 0) && <p className="hint">{t('performance.noItems')}</p>}
            <BarChart label={t('performance.itemsLabel', { count: rows.length })} config={charts!.items} rows={rows.length} />
          </Section>
          <Section title={t('performance.figures')}>
            <MetricsTable rows={rows} />
          </Section>
        </>
      )}
    </>
  );
}

type BarConfig = ChartConfiguration<'bar', (number | null)[], string>;

/**
 * Service names on a narrow chart: broken into lines of about 16 characters
 * (Chart.js draws an array as lines); Chinese, written without spaces, into
 * lines of 8 characters (each about twice as wide).
 */
function wrapped(label: string, width: number): string | string[] {
  if (width >= 600) return label;
  if (!label.includes(' ')) return label.match(/.{1,8}/gu) ?? [label];
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + word.length < 17) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

const serviceAxis = {
  ticks: {
    autoSkip: false,
    callback(this: { chart: { width: number }; getLabelForValue(value: number): string }, value: number | string) {
      return wrapped(this.getLabelForValue(Number(value)), this.chart.width);
    },
  },
};

function chartsOf(rows: ServiceMetrics[], t: TFunction<'console'>, format: Format): { times: BarConfig; items: BarConfig } {
  const labels = rows.map((r) => r.serviceName);
  // Chart.js formats the numbers on its axes and in its tooltips for `locale`.
  const locale = format.language;
  return {
    times: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: t('performance.series.median'), data: rows.map((r) => r.medianDays), backgroundColor: COLOURS.median },
          { label: t('performance.series.p90'), data: rows.map((r) => r.p90Days), backgroundColor: COLOURS.p90 },
          { label: t('performance.series.limit'), data: rows.map((r) => r.timeLimitDays), backgroundColor: COLOURS.limit },
        ],
      },
      options: { locale, indexAxis: 'y', scales: { x: { beginAtZero: true, title: { display: true, text: t('performance.axis.days') } }, y: serviceAxis } },
    },
    items: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: t('performance.series.prefilled'), data: rows.map((r) => r.itemsPrefilled), backgroundColor: COLOURS.prefilled },
          { label: t('performance.series.collected'), data: rows.map((r) => r.itemsCollected), backgroundColor: COLOURS.collected },
          { label: t('performance.series.recollected'), data: rows.map((r) => r.itemsRecollected), backgroundColor: COLOURS.recollected },
        ],
      },
      options: { locale, indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: t('performance.axis.items') } }, y: { stacked: true, ...serviceAxis } } },
    },
  };
}

/** A Chart.js bar chart; the canvas is one image for assistive technology, described by `label`. */
function BarChart({ config, label, rows }: { config: BarConfig; label: string; rows: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      ...config,
      options: {
        ...config.options,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: 'top' }, tooltip: { enabled: true } },
      },
    });
    return () => chart.destroy();
  }, [config]);
  return (
    // Room for every service: more on a narrow window, where names wrap onto several lines.
    <div className="chart" style={{ height: `${Math.max(240, rows * (window.innerWidth < 600 ? 64 : 48) + 80)}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

function MetricsTable({ rows }: { rows: ServiceMetrics[] }) {
  const { t } = useTranslation('console');
  const format = useFormat();
  const days = (d: number | null) => (d === null ? '—' : format.days(d));
  return (
    <div className="table-scroll" role="region" aria-label={t('performance.region')} tabIndex={0}>
      <table className="list numbers">
        <thead>
          <tr>
            <th scope="col">{t('performance.column.service')}</th>
            <th scope="col">{t('performance.column.submitted')}</th>
            <th scope="col">{t('performance.column.decided')}</th>
            <th scope="col">{t('performance.column.median')}</th>
            <th scope="col">{t('performance.column.p90')}</th>
            <th scope="col">{t('performance.column.limit')}</th>
            <th scope="col">{t('performance.column.withinLimit')}</th>
            <th scope="col">{t('performance.column.prefilled')}</th>
            <th scope="col">{t('performance.column.collected')}</th>
            <th scope="col">{t('performance.column.recollected')}</th>
            <th scope="col">{t('performance.column.crossDepartment')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.serviceCode}>
              <th scope="row">
                {r.serviceName} <span className="muted small">{r.serviceCode}</span>
              </th>
              <td>{format.count(r.submitted)}</td>
              <td>{format.count(r.decided)}</td>
              <td>{days(r.medianDays)}</td>
              <td>{days(r.p90Days)}</td>
              <td>{format.count(r.timeLimitDays)}</td>
              <td>{r.withinLimitShare === null ? '—' : format.percent(r.withinLimitShare)}</td>
              <td>{format.count(r.itemsPrefilled)}</td>
              <td>{format.count(r.itemsCollected)}</td>
              <td>{format.count(r.itemsRecollected)}</td>
              <td>{format.count(r.crossDepartmentReads)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
