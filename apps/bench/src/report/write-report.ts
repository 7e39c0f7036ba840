import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCharts } from './charts';
import { renderMarkdown } from './markdown';
import type { BenchReport } from './report-types';

/** Files written for one run. */
export interface WrittenReport {
  readonly json: string;
  readonly markdown: string;
  readonly charts: readonly string[];
}

/** Writes `<date>-<mode>.json`, `.md` and `<date>-<mode>-<chart>.svg` into `dir`. */
export function writeReport(report: BenchReport, dir: string): WrittenReport {
  fs.mkdirSync(dir, { recursive: true });
  const base = `${report.startedAt.slice(0, 10)}-${report.mode}`;
  const charts = buildCharts(report).map((chart) => ({ chart, file: `${base}-${chart.suffix}.svg` }));
  for (const { chart, file } of charts) fs.writeFileSync(path.join(dir, file), chart.svg);
  const json = path.join(dir, `${base}.json`);
  fs.writeFileSync(json, `${JSON.stringify(report, null, 1)}\n`);
  const markdown = path.join(dir, `${base}.md`);
  fs.writeFileSync(markdown, renderMarkdown(report, charts));
  return { json, markdown, charts: charts.map((c) => path.join(dir, c.file)) };
}
