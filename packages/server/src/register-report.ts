// What `pnpm db:import-schools` prints: progress on a terminal, then what it did.
import type { ReadProgress } from '@maths-hubs/db/register/gias';
import type { ImportReport } from '@maths-hubs/db/register/import';

const n = (value: number) => value.toLocaleString('en-GB');

/** Rows per second and an ETA from the bytes read, redrawn on one line; silent when not a terminal. */
export function progressReporter(stream: NodeJS.WriteStream) {
  const started = performance.now();
  let drawn = false;
  return {
    update({ bytesRead, totalBytes, rows }: ReadProgress) {
      if (!stream.isTTY) return;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? rows / seconds : 0;
      const share = totalBytes > 0 ? Math.min(bytesRead / totalBytes, 1) : 1;
      const eta = share > 0 ? (seconds / share) * (1 - share) : 0;
      stream.write(
        `\r${n(rows)} rows read (${Math.round(share * 100)}%), ${n(Math.round(rate))} rows/s, about ${Math.ceil(eta)} s to go   `,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}

/** Line numbers, shortened to ranges: 4, 5, 6, 9 → "4–6, 9". */
function lineList(lines: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    parts.push(j > i ? `${lines[i]}–${lines[j]}` : String(lines[i]));
    i = j;
  }
  return parts.join(', ');
}

export function registerSummary(report: ImportReport): string {
  const out: string[] = [];
  const invalid = report.skipped.filter((s) => s.kind === 'invalid');
  if (invalid.length > 0) {
    out.push(`Invalid rows, not loaded (${n(invalid.length)}):`);
    for (const row of invalid)
      out.push(`  line ${row.line}${row.urn ? ` (URN ${row.urn})` : ''}: ${row.reason}`);
  }
  const outOfScope = new Map<string, number[]>();
  for (const row of report.skipped)
    if (row.kind === 'out-of-scope')
      outOfScope.set(row.reason, [...(outOfScope.get(row.reason) ?? []), row.line]);
  if (outOfScope.size > 0) {
    out.push(`Outside the programme, counted and not loaded (${n(report.outOfScope)}):`);
    for (const [reason, lines] of outOfScope)
      out.push(`  ${n(lines.length)} ${reason}: lines ${lineList(lines)}`);
  }
  if (report.unmappedLocalAuthorities.length > 0) {
    out.push(
      `Local authorities no hub serves yet (their schools have no hub; map them with setHubArea or pnpm db:import-hub-areas):`,
    );
    for (const la of report.unmappedLocalAuthorities)
      out.push(`  ${la.code} ${la.name}: ${n(la.schools)} schools`);
  }
  if (report.links) {
    const l = report.links;
    out.push(
      `Links (${l.file}): ${n(l.rows)} rows, ${n(l.recorded)} links recorded, ${n(l.unchanged)} unchanged, ${n(l.ignored)} of other kinds ignored, ${n(l.invalid.length)} invalid`,
    );
    for (const row of l.invalid) out.push(`  line ${row.line}: ${row.reason}`);
  }
  const verb = report.applied
    ? ''
    : report.dryRun
      ? ' (dry run: nothing was written)'
      : ' (--strict: nothing was written)';
  out.push(
    `${report.file}: ${n(report.rows)} rows; ${n(report.inserted)} inserted, ${n(report.updated)} updated (${n(report.closed)} of them closed), ${n(report.unchanged)} unchanged, ${n(report.outOfScope + report.invalid)} skipped (${n(report.outOfScope)} outside the programme, ${n(report.invalid)} invalid)${verb}`,
  );
  return out.join('\n');
}
