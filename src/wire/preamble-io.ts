/**
 * The byte operations an engine's preamble needs. `read` resolves with exactly `length` bytes.
 * Its own module, so the engines' preambles and the dialer that drives them do not import each other.
 */
export interface PreambleIo {
  read(length: number): Promise<Buffer>;
  write(bytes: Buffer): void;
}
