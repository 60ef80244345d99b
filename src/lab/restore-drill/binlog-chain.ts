/**
 * The binary logs a restore replays, from the one the backup's position is in to the newest the
 * server lists, by sequence number; and which of them the server no longer has (purged or deleted):
 * a restore cannot roll forward across a missing file.
 */
export function binlogsFrom(first: string, listed: readonly string[]): { files: string[]; missing: string[] } {
  const parse = (name: string) => /^(.*)\.(\d+)$/.exec(name);
  const start = parse(first);
  if (!start) return { files: [first], missing: listed.includes(first) ? [] : [first] };
  const [, base, digits] = start;
  const numbers = listed.map(parse).filter((match): match is RegExpExecArray => match !== null && match[1] === base).map((match) => Number(match[2]));
  const last = Math.max(Number(digits), ...numbers);
  const files: string[] = [];
  const missing: string[] = [];
  for (let number = Number(digits); number <= last; number++) {
    const name = `${base}.${String(number).padStart(digits.length, '0')}`;
    files.push(name);
    if (!listed.includes(name)) missing.push(name);
  }
  return { files, missing };
}
