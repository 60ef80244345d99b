import { readFile, writeFile } from 'node:fs/promises';
import type { TargetResult } from './results-document.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Cucumber's HTML report knows nothing of the target, so a page saved on its own would not say
 * which server it judged. A static banner and title are put in front of Cucumber's own page.
 */
export async function labelCucumberReport(path: string, result: TargetResult, toolVersion: string): Promise<void> {
  const html = await readFile(path, 'utf8').catch(() => undefined);
  if (!html) return;
  const server = result.server.version ? `, server ${result.server.version}` : '';
  const facts = `dbcomply ${toolVersion} · target <b>${escape(result.name)}</b>: ${escape(result.engine)} at ${escape(result.endpoint)}${escape(server)} · profile <b>${escape(result.profile)}</b>${result.origin ? ` · ${escape(result.origin)}` : ''}`;
  const banner = `<div style="font-family:system-ui,sans-serif;padding:.6rem 1rem;background:#f6f8fa;border-bottom:1px solid #d0d7de">${facts}</div>`;
  await writeFile(path, html.replace('<title>Cucumber</title>', `<title>dbcomply: ${escape(result.name)}</title>`).replace('<body>', `<body>${banner}`));
}
