/**
 * `dbcomply run ... | head`: when whoever reads stdout (or stderr) goes away, the next write fails
 * with EPIPE, which Node raises as an unhandled 'error' event: the process died with a stack trace
 * half-way through the run, before results.json and the manifest were written. The terminal lines
 * are a courtesy; the reports and the exit status are the result. So a closed reader only stops the
 * lines: the run goes on, writes every report, and exits with what it found.
 */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export function keepRunningWhenReaderGoes(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!READER_GONE.has(error.code ?? '')) throw error;
  });
}

/** Writes a line unless the stream's reader has gone (then the line is dropped, see above). */
export function writeLine(stream: NodeJS.WriteStream, line: string): void {
  if (stream.writable && !stream.destroyed) stream.write(`${line}\n`);
}
