import { join } from 'node:path';
import { CATALOGUE, areaOf } from '../controls/catalogue.js';
import { writeFileAtomically } from './atomic-write.js';
import { redact } from './redact.js';
import type { ResultsDocument } from './results-document.js';

export const RESULTS_CSV_FILE = 'results.csv';

export const CSV_COLUMNS = ['target', 'engine', 'endpoint', 'profile', 'server_version', 'control', 'area', 'mcsb', 'verdict', 'trend', 'reason', 'report'] as const;

/** A formula's first character, after any spaces (some imports trim them) or NULs. */
const FORMULA_START = /^[\s\u00a0\0]*[=+\-@\t\r\0]/;
/** A formula start just after a semicolon or tab: a spreadsheet whose list separator is ';' (de, fr, nl) splits the cell there. */
const FORMULA_AFTER_SEPARATOR = /([;\t][\s\u00a0]*)([=+\-@])/g;

/**
 * A cell as a spreadsheet will read it. Quoted per RFC 4180 when it holds a comma, quote or line
 * break; and wherever a cell could start like a formula (=, +, -, @, tab, carriage return), at its
 * beginning or after a separator some locales use, an apostrophe goes first: a role name or a
 * server's error text is chosen by whoever runs the server, and an auditor opening the file must
 * not run it (CSV injection).
 */
export function csvCell(value: string): string {
  const separated = value.replace(FORMULA_AFTER_SEPARATOR, "$1'$2");
  const inert = FORMULA_START.test(separated) ? `'${separated}` : separated;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

const ORDER = new Map(CATALOGUE.map((control, index) => [control.id as string, index]));
const MCSB = new Map(CATALOGUE.map((control) => [control.id as string, control.mcsb]));

/**
 * The matrix as rows for a spreadsheet: one per target and control, in the catalogue's order, with
 * the reason and the target's report beside the verdict; a target that could not be assessed at
 * all is one row saying why.
 */
export function resultsCsv(document: ResultsDocument): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const target of document.targets) {
    const fixed = [target.name, target.engine, target.endpoint, target.profile, target.server.version ?? ''];
    if (target.error) {
      rows.push([...fixed, '', '', '', 'not assessed', '', target.error, target.reports.html]);
      continue;
    }
    const controls = Object.keys(target.controls).sort((a, b) => (ORDER.get(a) ?? Infinity) - (ORDER.get(b) ?? Infinity) || a.localeCompare(b));
    for (const id of controls) {
      rows.push([...fixed, id, areaOf(id), MCSB.get(id) ?? '', target.controls[id], target.trend?.[id] ?? '', target.reasons[id] ?? '', target.reports.html]);
    }
  }
  return rows.map((row) => row.map((cell) => csvCell(redact(cell))).join(',')).join('\r\n') + '\r\n';
}

export async function writeResultsCsv(outDir: string, document: ResultsDocument): Promise<string> {
  const path = join(outDir, RESULTS_CSV_FILE);
  await writeFileAtomically(path, resultsCsv(document));
  return path;
}
