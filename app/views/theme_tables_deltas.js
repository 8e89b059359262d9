// Shared by the theme-tables phone (theme_tables.js) and console board (theme_tables_board.js):
// how a card delta from app/views/theme_tables_deltas.py is merged into the cards a component holds.
// The twin of theme_tables_deltas.py apply: drop removed (and re-put) ids, insert put cards at their index.
export function mergeCards(cards, delta) {
  const gone = new Set(delta.remove || []);
  for (const [, c] of delta.put || []) gone.add(c.id);
  const out = cards.filter((c) => !gone.has(c.id));
  for (const [index, c] of delta.put || []) out.splice(index, 0, c);
  return out;
}
