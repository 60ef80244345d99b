/**
 * Control characters (C0, DEL, C1), line and paragraph separators, zero-width and bidirectional
 * formatting characters: in a name someone else chose they can start a new line that reads like a
 * verdict, hide the rest of the output with a terminal escape sequence (ESC [8m conceals what
 * follows), or display a name reversed. Backslash is escaped too, so an escape is never ambiguous.
 */
const UNPRINTABLE = /[\\\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** `text` with every such character written as \uXXXX (and \ as \\), for one line on a terminal or in a log. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => (character === '\\' ? '\\\\' : `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
