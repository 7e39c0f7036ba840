/** A duration: milliseconds, or a Go duration string such as `"30s"`, `"1m30s"`, `"250ms"`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Parses a Go duration string (`time.ParseDuration` syntax) or passes milliseconds through. Throws on anything else. */
export function parseDuration(value: Duration): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`invalid duration ${value}: expected milliseconds >= 0`);
    return value;
  }
  const text = value.trim();
  if (text === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new Error(`invalid duration "${value}": missing unit (e.g. "${text}s" or "${text}ms")`);
  }
  let total = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  while (consumed < text.length) {
    PART.lastIndex = consumed;
    const match = PART.exec(text);
    if (!match) throw new Error(`invalid duration "${value}": use a number and unit like "30s", "1m30s", "250ms"`);
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = PART.lastIndex;
  }
  return total;
}

/** Formats milliseconds like Go's `time.Duration.String()` (`"5s"`, `"1m30s"`, `"250ms"`, `"1.5s"`, `"0s"`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const ns = Math.round(ms * 1e6);
  if (ns < 1000) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  let rest = ns / 1e9;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  rest -= minutes * 60;
  let out = '';
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${out}${trim(rest)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
