// A layered drawing of a flow, left to right: the start node in the first column,
// each node one column right of the furthest node that leads to it (edges that go
// back, loops, are left out of that count), nodes in a column ordered by where their
// callers are (a few barycentre sweeps), then placed as near the exits that reach
// them as the column allows. Pure: ids, sizes and edges in, boxes out.

export type LayoutNode = { id: string; height: number };
export type LayoutEdge = { from: string; to: string; /** the exit's row in the source card, 0-based */ port: number };
export type Box = { x: number; y: number; w: number; h: number; column: number };
export type Layout = { boxes: Map<string, Box>; width: number; height: number };

export const CARD_WIDTH = 200;
export const COLUMN_GAP = 90;
export const ROW_GAP = 28;
export const MARGIN = 40;

/** The y of exit row `port` within a card, from the card's top: set by the card's look. */
export type PortY = (port: number) => number;

export function layout(nodes: LayoutNode[], start: string, edges: LayoutEdge[], portY: PortY): Layout {
  const ids = nodes.map((n) => n.id);
  const known = new Set(ids);
  const out = new Map<string, LayoutEdge[]>();
  for (const id of ids) out.set(id, []);
  for (const edge of edges) if (known.has(edge.from) && known.has(edge.to)) out.get(edge.from)!.push(edge);

  // Depth-first from the start, then from each node not yet seen (in document order):
  // an edge to a node still on the stack goes back (a loop) and does not push columns.
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 done
  const back = new Set<LayoutEdge>();
  const order: string[] = [];
  const visit = (root: string) => {
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const list = out.get(top.id)!;
      if (top.next < list.length) {
        const edge = list[top.next++]!;
        const seen = state.get(edge.to);
        if (seen === 1) back.add(edge);
        else if (seen === undefined) {
          state.set(edge.to, 1);
          stack.push({ id: edge.to, next: 0 });
        }
      } else {
        state.set(top.id, 2);
        order.push(top.id);
        stack.pop();
      }
    }
  };
  if (known.has(start)) visit(start);
  for (const id of ids) if (!state.has(id)) visit(id);
  order.reverse(); // a topological order of the forward edges

  const column = new Map<string, number>();
  for (const id of order) column.set(id, 0);
  for (const id of order) {
    for (const edge of out.get(id)!) {
      if (!back.has(edge)) column.set(edge.to, Math.max(column.get(edge.to)!, column.get(id)! + 1));
    }
  }
  const columns: string[][] = [];
  for (const id of ids) {
    const c = column.get(id)!;
    (columns[c] ??= []).push(id);
  }
  for (let c = 0; c < columns.length; c++) columns[c] ??= [];

  // Order within columns by the mean row of the nodes (and exits) that lead there.
  const incoming = new Map<string, LayoutEdge[]>();
  for (const id of ids) incoming.set(id, []);
  for (const list of out.values()) for (const edge of list) if (!back.has(edge)) incoming.get(edge.to)!.push(edge);
  const rank = new Map<string, number>();
  const rerank = () => columns.forEach((list) => list.forEach((id, i) => rank.set(id, i)));
  rerank();
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let c = 1; c < columns.length; c++) {
      const weight = (id: string) => {
        const from = incoming.get(id)!;
        if (!from.length) return rank.get(id)!;
        return from.reduce((sum, e) => sum + rank.get(e.from)! + e.port * 0.01, 0) / from.length;
      };
      const weights = new Map(columns[c]!.map((id) => [id, weight(id)]));
      columns[c]!.sort((a, b) => weights.get(a)! - weights.get(b)!);
      rerank();
    }
  }

  // Place: each node as near the mean y of the exits that reach it as the nodes above allow.
  const heights = new Map(nodes.map((n) => [n.id, n.height]));
  const boxes = new Map<string, Box>();
  let bottom = 0;
  columns.forEach((list, c) => {
    const x = MARGIN + c * (CARD_WIDTH + COLUMN_GAP);
    let y = MARGIN;
    for (const id of list) {
      const h = heights.get(id) ?? 60;
      const from = incoming.get(id)!.filter((e) => boxes.has(e.from));
      const wanted = from.length
        ? from.reduce((sum, e) => sum + boxes.get(e.from)!.y + portY(e.port), 0) / from.length - h / 2
        : y;
      const top = Math.max(y, Math.round(wanted));
      boxes.set(id, { x, y: top, w: CARD_WIDTH, h, column: c });
      y = top + h + ROW_GAP;
      bottom = Math.max(bottom, top + h);
    }
  });
  return {
    boxes,
    width: MARGIN * 2 + Math.max(1, columns.length) * (CARD_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: bottom + MARGIN * 2,
  };
}

/** The SVG path of an arrow from an exit's port to a node's left side. Forward arrows
 *  are one curve; an arrow back (to a column at or left of its source) leaves right,
 *  runs under both cards and comes in from the left. */
export function edgePath(x1: number, y1: number, x2: number, y2: number, below: number): string {
  if (x2 > x1 + 20) {
    const bend = Math.max(30, (x2 - x1) / 2);
    return `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
  }
  const r = 24;
  return `M${x1},${y1} C${x1 + r * 2},${y1} ${x1 + r * 2},${below} ${x1},${below} L${x2},${below} C${x2 - r * 2},${below} ${x2 - r * 2},${y2} ${x2},${y2}`;
}
