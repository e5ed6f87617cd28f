import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section } from '../components.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
// Axis and legend text dark enough to read (Chart.js defaults to a light grey).
Chart.defaults.color = '#3e4c59';

interface ServiceMetrics {
  serviceCode: string;
  serviceName: string;
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
    serviceCode serviceName timeLimitDays submitted decided medianDays p90Days withinLimitShare
    itemsPrefilled itemsCollected itemsRecollected crossDepartmentReads
  }
}`;

/** Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS = { median: '#0072B2', p90: '#E69F00', limit: '#6B7280', prefilled: '#009E73', collected: '#D55E00', recollected: '#CC79A7' };

export function Performance() {
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const metrics = useQuery<{ serviceMetrics: ServiceMetrics[] }>(METRICS, range);

  function apply(event: FormEvent) {
    event.preventDefault();
    setRange({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
  }

  const rows = metrics.data?.serviceMetrics ?? null;
  const charts = useMemo(() => (rows ? chartsOf(rows) : null), [rows]);
  return (
    <>
      <Section title="Period">
        <form onSubmit={apply} className="row" noValidate>
          <label>
            From
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <div className="actions">
            <button type="submit">Show</button>
          </div>
        </form>
        <p className="hint">Both days included; leave empty for the whole record.</p>
      </Section>
      {metrics.loading && !rows && <Loading what="service metrics" />}
      <Errors errors={metrics.errors} title="The hub could not compute the service metrics:" />
      {rows && rows.length === 0 && <p className="muted">No case was submitted in this period.</p>}
      {rows && rows.length > 0 && (
        <>
          <Section title="Processing time against the time limit">
            <BarChart
              label={`Processing time in days per service: median, 90th percentile and legal time limit, for ${rows.length} services. The table below has the figures.`}
              config={charts!.times}
              rows={rows.length}
            />
          </Section>
          <Section title="Items pre-filled versus collected">
            {rows.every((r) => r.itemsPrefilled + r.itemsCollected + r.itemsRecollected === 0) && (
              <p className="hint">No application was submitted through the hub in this period, so nothing was pre-filled or collected yet.</p>
            )}
            <BarChart
              label={`Application items per service: pre-filled by the hub, collected from citizens, and re-collected although the hub held them, for ${rows.length} services. The table below has the figures.`}
              config={charts!.items}
              rows={rows.length}
            />
          </Section>
          <Section title="Figures">
            <MetricsTable rows={rows} />
          </Section>
        </>
      )}
    </>
  );
}

type BarConfig = ChartConfiguration<'bar', (number | null)[], string>;

/** Service names on a narrow chart: broken into lines of about 16 characters (Chart.js draws an array as lines). */
function wrapped(label: string, width: number): string | string[] {
  if (width >= 600) return label;
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

function chartsOf(rows: ServiceMetrics[]): { times: BarConfig; items: BarConfig } {
  const labels = rows.map((r) => r.serviceName);
  return {
    times: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'Median days', data: rows.map((r) => r.medianDays), backgroundColor: COLOURS.median },
          { label: '90th percentile days', data: rows.map((r) => r.p90Days), backgroundColor: COLOURS.p90 },
          { label: 'Time limit (days)', data: rows.map((r) => r.timeLimitDays), backgroundColor: COLOURS.limit },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true, title: { display: true, text: 'days' } }, y: serviceAxis } },
    },
    items: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'Pre-filled', data: rows.map((r) => r.itemsPrefilled), backgroundColor: COLOURS.prefilled },
          { label: 'Collected', data: rows.map((r) => r.itemsCollected), backgroundColor: COLOURS.collected },
          { label: 'Re-collected', data: rows.map((r) => r.itemsRecollected), backgroundColor: COLOURS.recollected },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: 'items' } }, y: { stacked: true, ...serviceAxis } } },
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
  const days = (d: number | null) => (d === null ? '—' : d.toFixed(1));
  return (
    <div className="table-scroll" role="region" aria-label="Service metrics (scrolls sideways)" tabIndex={0}>
      <table className="list numbers">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Submitted</th>
            <th scope="col">Decided</th>
            <th scope="col">Median days</th>
            <th scope="col">p90 days</th>
            <th scope="col">Limit</th>
            <th scope="col">Within limit</th>
            <th scope="col">Pre-filled</th>
            <th scope="col">Collected</th>
            <th scope="col">Re-collected</th>
            <th scope="col">Cross-department reads</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.serviceCode}>
              <th scope="row">
                {r.serviceName} <span className="muted small">{r.serviceCode}</span>
              </th>
              <td>{r.submitted}</td>
              <td>{r.decided}</td>
              <td>{days(r.medianDays)}</td>
              <td>{days(r.p90Days)}</td>
              <td>{r.timeLimitDays}</td>
              <td>{r.withinLimitShare === null ? '—' : `${Math.round(r.withinLimitShare * 100)} %`}</td>
              <td>{r.itemsPrefilled}</td>
              <td>{r.itemsCollected}</td>
              <td>{r.itemsRecollected}</td>
              <td>{r.crossDepartmentReads}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
