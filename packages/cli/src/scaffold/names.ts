import { CliError } from '../errors';

/** The spellings of a generated element's name. */
export interface Names {
  /** `player-stats`: file and folder names. */
  readonly kebab: string;
  /** `PlayerStats`: class names. */
  readonly pascal: string;
  /** `playerStats`: service (route) names. */
  readonly camel: string;
}

/** Splits `playerStats`, `player-stats`, `player_stats` or `PlayerStats` into its spellings. */
export function namesOf(raw: string, kind: string): Names {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(raw) || raw.length > 64) {
    throw new CliError(`"${raw}" is not a valid ${kind} name: use letters, digits, - or _, starting with a letter (e.g. player-stats)`);
  }
  const words = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return { kebab: words.join('-'), pascal, camel: pascal.charAt(0).toLowerCase() + pascal.slice(1) };
}
