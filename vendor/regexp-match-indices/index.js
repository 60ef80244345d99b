'use strict';
// exec(regexp, string) with `indices` on the result, as regexp-match-indices 1.0.2 exports it, from
// the engine's own match indices. That package's feature test looks for `indices` on a match made
// without the `d` flag, never finds them, and so parses every step definition's regular expression
// with regexp-tree: a tenth of a second of every dbcomply run. Every Node that dbcomply supports has
// the `d` flag (V8 9.0, Node 16), so the copy made here gives the same groups and the same indices.
const withIndices = new WeakMap();

function exec(regexp, string) {
  let measured = withIndices.get(regexp);
  if (measured === undefined) {
    measured = regexp.hasIndices ? regexp : new RegExp(regexp.source, regexp.flags + 'd');
    withIndices.set(regexp, measured);
  }
  measured.lastIndex = regexp.lastIndex;
  const match = measured.exec(string);
  regexp.lastIndex = measured.lastIndex;
  return match;
}

module.exports = exec;
