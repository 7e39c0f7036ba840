/** One line of a line chart. */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** y per x category (undefined = no point). */
  readonly values: readonly (number | undefined)[];
}

/** One bar colour of a grouped bar chart. */
export interface BarSeries {
  readonly name: string;
  readonly color: string;
  readonly values: readonly (number | undefined)[];
}

interface Frame {
  readonly title: string;
  readonly yLabel: string;
  readonly xLabel?: string;
  readonly categories: readonly string[];
  /** Logarithmic y axis (latencies spanning decades). */
  readonly logY?: boolean;
}

const W = 760;
const H = 400;
const M = { left: 78, right: 190, top: 44, bottom: 62 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 1, 2, 5 × 10^n steps giving about `count` ticks from 0 to above `max`. */
function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(v);
  return ticks;
}

/** Compact number: 41200 → 41.2k, 0.35 → 0.35. */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  if (a >= 10 || a === 0) return `${Math.round(v)}`;
  if (a >= 1) return `${+v.toFixed(1)}`;
  return `${+v.toPrecision(2)}`;
}

/** Maps values to y pixels and draws the y axis grid. */
function yAxis(frame: Frame, values: readonly number[]): { y: (v: number) => number; svg: string } {
  const positive = values.filter((v) => v > 0);
  const parts: string[] = [];
  let y: (v: number) => number;
  let ticks: number[];
  if (frame.logY && positive.length > 0) {
    const lo = 10 ** Math.floor(Math.log10(Math.min(...positive)));
    const hi = 10 ** Math.ceil(Math.log10(Math.max(...positive)));
    const span = Math.log10(hi) - Math.log10(lo) || 1;
    y = (v) => M.top + PLOT_H - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / span) * PLOT_H;
    ticks = [];
    for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t);
  } else {
    ticks = niceTicks(Math.max(...values, 0));
    const top = ticks[ticks.length - 1] || 1;
    y = (v) => M.top + PLOT_H - (v / top) * PLOT_H;
  }
  for (const t of ticks) {
    const py = y(t).toFixed(1);
    parts.push(`<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${py}" y2="${py}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${M.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle" font-size="12">${compact(t)}</text>`);
  }
  parts.push(`<text transform="translate(18 ${M.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(frame.yLabel)}</text>`);
  return { y, svg: parts.join('') };
}

function shell(frame: Frame, body: string, legend: readonly { name: string; color: string; dashed?: boolean }[]): string {
  const legendSvg = legend
    .map((l, i) => {
      const ly = M.top + 10 + i * 22;
      const lx = M.left + PLOT_W + 18;
      return `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${l.color}" stroke-width="${l.dashed ? 2.5 : 8}"${l.dashed ? ' stroke-dasharray="5 4"' : ''}/>` +
        `<text x="${lx + 32}" y="${ly}" dominant-baseline="middle" font-size="12">${esc(l.name)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="Helvetica, Arial, sans-serif">` +
    `<rect width="${W}" height="${H}" fill="#ffffff"/>` +
    `<text x="${M.left}" y="24" font-size="16" font-weight="bold">${esc(frame.title)}</text>` +
    body +
    `<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${M.top + PLOT_H}" y2="${M.top + PLOT_H}" stroke="#333"/>` +
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + PLOT_H}" stroke="#333"/>` +
    (frame.xLabel ? `<text x="${M.left + PLOT_W / 2}" y="${H - 14}" text-anchor="middle" font-size="13">${esc(frame.xLabel)}</text>` : '') +
    legendSvg +
    `</svg>\n`;
}

function xLabels(categories: readonly string[], x: (i: number) => number): string {
  return categories.map((c, i) => `<text x="${x(i).toFixed(1)}" y="${M.top + PLOT_H + 20}" text-anchor="middle" font-size="12">${esc(c)}</text>`).join('');
}

/** A line chart over categorical x values (client counts, offered loads). */
export function lineChart(frame: Frame, series: readonly LineSeries[]): string {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const { y, svg: axis } = yAxis(frame, all);
  const n = frame.categories.length;
  const x = (i: number): number => M.left + (n === 1 ? PLOT_W / 2 : 30 + (i * (PLOT_W - 60)) / (n - 1));
  const lines = series.map((s) => {
    const pts = s.values.map((v, i) => (v === undefined ? undefined : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter((p): p is string => p !== undefined);
    const dots = pts.map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3.5" fill="${s.color}"/>`).join('');
    return `<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>${dots}`;
  });
  return shell(frame, axis + xLabels(frame.categories, x) + lines.join(''), series);
}

/** Bars grouped by category, one colour per series; missing values leave a gap. */
export function groupedBarChart(frame: Frame, series: readonly BarSeries[]): string {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const { y, svg: axis } = yAxis(frame, all);
  const n = frame.categories.length;
  const groupW = PLOT_W / Math.max(1, n);
  const barW = Math.min(34, (groupW * 0.8) / Math.max(1, series.length));
  const x = (i: number): number => M.left + groupW * (i + 0.5);
  const bars: string[] = [];
  series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      if (v === undefined) return;
      const left = x(i) - (barW * series.length) / 2 + si * barW;
      const top = y(v);
      const height = Math.max(0.5, M.top + PLOT_H - top);
      bars.push(`<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${height.toFixed(1)}" fill="${s.color}"><title>${esc(`${s.name}: ${compact(v)}`)}</title></rect>`);
    });
  });
  return shell(frame, axis + xLabels(frame.categories, x) + bars.join(''), series);
}
