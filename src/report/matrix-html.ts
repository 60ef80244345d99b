import { CONTROL_TAG_PREFIX, findControl } from '../controls/catalogue.js';
import { VERDICTS, type ComplianceMatrix, type MatrixCell, type VerdictCounts } from './compliance-matrix.js';
import { TREND_LABELS } from './trend.js';

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Severity for sorting a column: the worst first. */
const RANK: Record<string, number> = { failed: 0, undecided: 1, passed: 2, skipped: 3, '': 4 };

export const MATRIX_STYLE = `
.matrix-tools{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:.5rem 0}
.matrix-wrap{overflow:auto;max-height:80vh;border:1px solid #d0d7de}
table.matrix{border-collapse:separate;border-spacing:0;width:auto;font-size:.8rem}
.matrix th,.matrix td{border-bottom:1px solid #d0d7de;border-right:1px solid #eaeef2;padding:.2rem .3rem;text-align:center;white-space:nowrap}
.matrix thead th{position:sticky;background:#f6f8fa;z-index:1}
.matrix thead tr.areas th{top:0}.matrix thead tr.controls th{top:1.6rem}
.matrix th.control{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;vertical-align:bottom;height:11rem;cursor:pointer;font-weight:normal}
.matrix th.sortable{cursor:pointer}
.matrix .name{position:sticky;left:0;background:#fff;text-align:left;z-index:2;font-weight:600}
.matrix thead .name{z-index:3;background:#f6f8fa}
.matrix td a{color:inherit;text-decoration:none;display:block}
.v-passed{background:#dafbe1;color:#116329}.v-failed{background:#ffebe9;color:#a40e26;font-weight:700}
.v-undecided{background:#fff8c5;color:#7d4e00}.v-skipped{background:#f6f8fa;color:#57606a}.v-none{color:#8c959f}
.trend{display:block;font-size:.7em;font-weight:700;text-transform:uppercase}
.t-new-failure{outline:3px solid #cf222e;outline-offset:-3px}.t-fixed{outline:3px solid #1a7f37;outline-offset:-3px}
.t-newly-undecided{outline:3px dashed #9a6700;outline-offset:-3px}
.counts td{font-size:.7rem;color:#57606a;line-height:1.1}
.hidden{display:none}
`;

/**
 * The Cucumber report filters its scenarios by a tag expression given as ?query=, so a cell opens
 * its target's report on exactly that control's scenarios and their evidence (also from file://).
 */
export function scenarioLink(report: string, controlId: string): string {
  return `${report}?query=${encodeURIComponent(`${CONTROL_TAG_PREFIX}${controlId}`)}`;
}

function cellHtml(id: string, cell: MatrixCell, report: string): string {
  const link = scenarioLink(report, id);
  const verdict = cell.verdict ?? '';
  const title = cell.verdict ? `${id}: ${cell.verdict}${cell.trend ? ` (${TREND_LABELS[cell.trend]})` : ''}${cell.reason ? ` - ${cell.reason}` : ''}` : `${id}: not run on this target`;
  const classes = [`v-${verdict || 'none'}`, cell.trend ? `t-${cell.trend}` : ''].filter(Boolean).join(' ');
  const trend = cell.trend ? `<span class="trend">${TREND_LABELS[cell.trend]}</span>` : '';
  const text = verdict ? `<a href="${escapeHtml(link)}">${verdict}${trend}</a>` : '-';
  return `<td class="${classes}" data-col="${escapeHtml(id)}" data-v="${verdict}" data-trend="${cell.trend ?? ''}" title="${escapeHtml(title)}">${text}</td>`;
}

function countsText(counts: VerdictCounts): string {
  return VERDICTS.filter((verdict) => counts[verdict] > 0).map((verdict) => `${counts[verdict]}&nbsp;${verdict}`).join('<br>') || '-';
}

/**
 * The matrix at the top of report.html: one row per target, one column per control grouped by area
 * with its MCSB families, each cell the verdict in colour and words, linking to the target's
 * Cucumber report (where the scenario's evidence is attached). A little inline script filters and
 * sorts; without it the table is still whole.
 */
export function matrixHtml(matrix: ComplianceMatrix): string {
  const columns = matrix.areas.flatMap((area) => area.columns);
  const areaRow = matrix.areas
    .map((area) => `<th colspan="${area.columns.length}" title="MCSB ${escapeHtml(area.mcsbFamilies.join(', '))}">${escapeHtml(area.area)} <small>(${escapeHtml(area.mcsbFamilies.join(', '))})</small></th>`)
    .join('');
  const controlRow = columns
    .map((column) => `<th class="control" data-sort="col" data-col="${escapeHtml(column.id)}" title="${escapeHtml(`${column.id} (MCSB ${column.mcsb}): passes when ${findControl(column.id)?.passesWhen ?? '?'}`)}">${escapeHtml(column.id.slice(column.id.indexOf('.') + 1))}</th>`)
    .join('');
  const body = matrix.rows
    .map((row) => {
      const link = row.target.reports.html;
      const flags = [row.counts.failed > 0 ? 'failing' : '', row.counts.undecided > 0 ? 'undecided' : '', Object.values(row.cells).some((cell) => cell.trend === 'new-failure') ? 'new-failure' : '', row.target.error ? 'error' : '']
        .filter(Boolean)
        .join(' ');
      return `<tr data-name="${escapeHtml(row.target.name)}" data-flags="${flags}" data-failed="${row.counts.failed}" data-undecided="${row.counts.undecided}">` +
        `<th class="name" scope="row"><a href="${escapeHtml(link)}">${escapeHtml(row.target.name)}</a>${row.target.error ? ' <span class="v-failed">ERROR</span>' : ''}</th>` +
        columns.map((column) => cellHtml(column.id, row.cells[column.id], link)).join('') +
        VERDICTS.map((verdict) => `<td class="${row.counts[verdict] ? `v-${verdict}` : ''}">${row.counts[verdict]}</td>`).join('') +
        '</tr>';
    })
    .join('\n');
  const footer = `<tr class="counts"><th class="name">per control</th>${columns.map((column) => `<td data-col="${escapeHtml(column.id)}">${countsText(matrix.controlCounts[column.id])}</td>`).join('')}<td colspan="4"></td></tr>`;
  return `<section id="matrix">
<h2>Compliance matrix</h2>
<div class="matrix-tools">
<label>Target <input id="filter-name" type="search" placeholder="name contains"></label>
<label>Rows <select id="filter-rows"><option value="">all targets</option><option value="failing">with a failure</option><option value="undecided">with an undecided control</option><option value="new-failure">with a new failure</option></select></label>
<label><input id="filter-columns" type="checkbox"> only controls that failed or stayed undecided somewhere</label>
<span id="shown-count">${matrix.rows.length} of ${matrix.rows.length} targets</span>
</div>
<div class="matrix-wrap"><table class="matrix" id="matrix-table">
<thead><tr class="areas"><th class="name"></th>${areaRow}<th colspan="4">per target</th></tr>
<tr class="controls"><th class="name sortable" data-sort="name">target &#8597;</th>${controlRow}${VERDICTS.map((verdict) => `<th class="control" data-sort="count" data-v="${verdict}">${verdict}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
<tfoot>${footer}</tfoot>
</table></div>
<p><small>Click a column to sort by it (the worst first), the target header to sort by name. A cell opens the target's Cucumber report on that control's scenarios, each with its evidence; hover a cell for the reason.</small></p>
</section>
<script>
(function(){
var table=document.getElementById('matrix-table');var body=table.tBodies[0];
var name=document.getElementById('filter-name'),rows=document.getElementById('filter-rows'),cols=document.getElementById('filter-columns'),shown=document.getElementById('shown-count');
var rank=${JSON.stringify(RANK)};
function apply(){var text=name.value.toLowerCase(),want=rows.value,count=0;
Array.prototype.forEach.call(body.rows,function(row){var ok=row.dataset.name.toLowerCase().indexOf(text)>=0&&(!want||(' '+row.dataset.flags+' ').indexOf(' '+want+' ')>=0);row.classList.toggle('hidden',!ok);if(ok)count++;});
shown.textContent=count+' of '+body.rows.length+' targets';
var keep={};if(cols.checked){Array.prototype.forEach.call(body.querySelectorAll('td[data-v="failed"],td[data-v="undecided"]'),function(td){keep[td.dataset.col]=1;});}
Array.prototype.forEach.call(table.querySelectorAll('[data-col]'),function(el){el.classList.toggle('hidden',cols.checked&&!keep[el.dataset.col]);});}
[name,rows,cols].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
var direction={};
table.tHead.addEventListener('click',function(event){var th=event.target.closest('th[data-sort]');if(!th)return;
var key=th.dataset.sort+':'+(th.dataset.col||th.dataset.v||'');direction[key]=-(direction[key]||-1);var sign=direction[key];
var list=Array.prototype.slice.call(body.rows);
list.sort(function(a,b){var x,y;
if(th.dataset.sort==='name'){x=a.dataset.name;y=b.dataset.name;return sign*(x<y?-1:x>y?1:0);}
if(th.dataset.sort==='count'){var i=${columns.length}+1+['passed','failed','undecided','skipped'].indexOf(th.dataset.v);return sign*(Number(b.cells[i].textContent)-Number(a.cells[i].textContent));}
x=a.querySelector('td[data-col="'+th.dataset.col+'"]');y=b.querySelector('td[data-col="'+th.dataset.col+'"]');
return sign*(rank[x?x.dataset.v:'']-rank[y?y.dataset.v:'']);});
list.forEach(function(row){body.appendChild(row);});});
})();
</script>`;
}
