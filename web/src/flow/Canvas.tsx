// The drawing: nodes as cards placed by layout.ts, exits as labelled arrows; pan by
// dragging the background, zoom with the wheel or the buttons, a minimap to jump
// around. Cards are buttons (Tab reaches them, Enter selects, Delete deletes); an
// exit's port button starts a connection, and the next card chosen is its target.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { lang, t, tCode } from "../i18n";
import { fieldLabel } from "./fields";
import { useStore } from "../store";
import { edgesOf, exitsOf, nodesOf, type Problem, summaryOf, typeOf } from "./graph";
import type { NodeCounts, PathCounts } from "./calls";
import { formatNumber } from "../format";
import { type JObject, str } from "./json";
import { type Box, CARD_WIDTH, edgePath, layout } from "./layout";

const HEAD = 24;
const SUMMARY = 20;
const ROW = 19;
const portY = (port: number) => HEAD + SUMMARY + port * ROW + ROW / 2;
const cardHeight = (exits: number) => HEAD + SUMMARY + exits * ROW + 6;
/** A menu key or a rule as it is; a named exit ("next", "on_failure") in words. */
const exitLabel = (path: string, label: string) => (/[.[]/.test(path) ? label : fieldLabel(path));

export type Connecting = { from: string; path: string } | null;
type View = { x: number; y: number; k: number };

export function Canvas({ doc, problems, selected, connecting, focus, onSelect, onPort, onConnect, onDelete, readOnly, counts }: {
  doc: JObject;
  /** Calls per node and exit in a period (drawn on the arrows and cards), or null. */
  counts?: PathCounts | null;
  problems: Problem[];
  selected: string | null;
  connecting: Connecting;
  /** Bring this node into view when `seq` changes. */
  focus: { id: string; seq: number } | null;
  onSelect: (id: string | null) => void;
  onPort: (from: string, path: string) => void;
  onConnect: (target: string) => void;
  onDelete: (id: string) => void;
  readOnly: boolean;
}) {
  const language = useStore(lang) === "zh-CN" ? "zh" : "en";
  const nodes = nodesOf(doc);
  const start = str(doc.get("start"));
  const drawn = useMemo(() => {
    const list = [...nodes].map(([id, node]) => ({ id, node, exits: exitsOf(node) }));
    const edges = edgesOf(doc).map((e) => ({
      ...e, port: list.find((n) => n.id === e.from)!.exits.findIndex((x) => x.path === e.path),
    }));
    const placed = layout(list.map((n) => ({ id: n.id, height: cardHeight(n.exits.length) })), start, edges, portY);
    return { list, edges, placed };
  }, [doc]);
  const { list, edges, placed } = drawn;
  const byNode = new Map<string, Problem[]>();
  for (const p of problems) if (p.node) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p]);

  const frame = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 800, h: 500 });
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  useLayoutEffect(() => {
    const element = frame.current!;
    const observer = new ResizeObserver(() => setSize({ w: element.clientWidth, h: element.clientHeight }));
    observer.observe(element);
    setSize({ w: element.clientWidth, h: element.clientHeight });
    return () => observer.disconnect();
  }, []);
  const fit = () => {
    const k = Math.min(1, Math.max(0.25, Math.min(size.w / placed.width, size.h / placed.height)));
    setView({ k, x: (size.w - placed.width * k) / 2, y: Math.max(0, (size.h - placed.height * k) / 2) });
  };
  // The first view: the whole drawing when it can be read (70 % or more), else from
  // the start at 70 %.
  const fitted = useRef(false);
  useEffect(() => {
    if (!fitted.current && size.w > 0 && list.length > 0) {
      fitted.current = true;
      const k = Math.min(size.w / placed.width, size.h / placed.height);
      if (k >= 0.7) fit();
      else setView({ k: 0.7, x: 0, y: Math.max(0, (size.h - placed.height * 0.7) / 2) });
    }
  }, [size, list.length]);
  useEffect(() => {
    const box = focus && placed.boxes.get(focus.id);
    if (!box) return;
    setView((v) => {
      const inside = box.x * v.k + v.x >= 0 && (box.x + box.w) * v.k + v.x <= size.w && box.y * v.k + v.y >= 0 &&
        (box.y + box.h) * v.k + v.y <= size.h;
      return inside ? v : { ...v, x: size.w / 2 - (box.x + box.w / 2) * v.k, y: size.h / 2 - (box.y + box.h / 2) * v.k };
    });
    frame.current?.querySelector<HTMLElement>(`[data-node="${CSS.escape(focus.id)}"]`)?.focus({ preventScroll: true });
  }, [focus?.seq]);

  const zoom = (factor: number, cx = size.w / 2, cy = size.h / 2) => setView((v) => {
    const k = Math.min(2, Math.max(0.25, v.k * factor));
    return { k, x: cx - ((cx - v.x) * k) / v.k, y: cy - ((cy - v.y) * k) / v.k };
  });
  const drag = useRef<{ px: number; py: number; x: number; y: number } | null>(null);
  const onPointerDown = (e: PointerEvent) => {
    const target = e.target as HTMLElement;
    if (target.closest(".flow-card, .flow-zoom, .flow-minimap")) return;
    drag.current = { px: e.clientX, py: e.clientY, x: view.x, y: view.y };
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d) setView((v) => ({ ...v, x: d.x + e.clientX - d.px, y: d.y + e.clientY - d.py }));
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (d && Math.abs(e.clientX - d.px) + Math.abs(e.clientY - d.py) < 4) onSelect(null); // a click on the background
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const rect = frame.current!.getBoundingClientRect();
    zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1, e.clientX - rect.left, e.clientY - rect.top);
  };
  useEffect(() => {
    const element = frame.current!;
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  });

  const choose = (id: string) => (connecting ? onConnect(id) : onSelect(id));
  /** Arrow keys on a card: right to the node its first exit names, left to a node that
   *  leads to it, up and down within its column. */
  const neighbour = (id: string, key: string): string | undefined => {
    if (key === "ArrowRight") return edges.find((e) => e.from === id)?.to;
    if (key === "ArrowLeft") return edges.find((e) => e.to === id)?.from;
    const box = placed.boxes.get(id)!;
    const column = [...placed.boxes].filter(([, b]) => b.column === box.column).sort((a, b) => a[1].y - b[1].y).map(([n]) => n);
    const at = column.indexOf(id);
    return key === "ArrowDown" ? column[at + 1] : key === "ArrowUp" ? column[at - 1] : undefined;
  };
  const startBox = placed.boxes.get(start);
  return (
    <div class={`flow-canvas${connecting ? " connecting" : ""}`} ref={frame} id="flow-canvas"
      onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp}>
      <div class="flow-world" style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.k})`, width: placed.width, height: placed.height }}>
        <svg class="flow-edges" width={placed.width} height={placed.height} aria-hidden="true">
          <defs>
            <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="#8a99a8" />
            </marker>
            <marker id="flow-arrow-on" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="#2f6f9f" />
            </marker>
          </defs>
          {startBox && (
            <path class="flow-edge start" d={`M${startBox.x - 30},${startBox.y + HEAD / 2} L${startBox.x - 2},${startBox.y + HEAD / 2}`}
              marker-end="url(#flow-arrow-on)" />
          )}
          {edges.map((e) => {
            const a = placed.boxes.get(e.from)!;
            const b = placed.boxes.get(e.to)!;
            const x1 = a.x + a.w;
            const y1 = a.y + portY(e.port);
            const x2 = b.x - 2;
            const y2 = b.y + HEAD / 2;
            // An arrow back runs under every card of the columns it passes.
            const low = Math.min(a.column, b.column);
            const high = Math.max(a.column, b.column);
            const bottom = Math.max(...[...placed.boxes.values()].filter((x) => x.column >= low && x.column <= high).map((x) => x.y + x.h));
            const below = bottom + 14 + (e.port % 3) * 6;
            const on = e.from === selected || e.to === selected;
            const forward = x2 > x1 + 20;
            const lx = forward ? x1 + 16 : (x1 + x2) / 2;
            const ly = forward ? y1 : below;
            const taken = counts ? counts.nodes[e.from]?.exits[e.path] ?? 0 : undefined;
            return (
              <g key={`${e.from}/${e.path}`} class={`flow-edge-group${on ? " on" : ""}${taken === 0 ? " zero" : taken ? " taken" : ""}`}
                data-edge={`${e.from}/${e.path}`} data-to={e.to} data-count={taken}>
                <path class="flow-edge" d={edgePath(x1, y1, x2, y2, below)} marker-end={on ? "url(#flow-arrow-on)" : "url(#flow-arrow)"} />
                <EdgeLabel x={lx} y={ly} text={exitLabel(e.path, e.label)} anchor={forward ? "start" : "middle"}
                  count={taken === undefined ? undefined : formatNumber(taken)} />
              </g>
            );
          })}
        </svg>
        {list.map(({ id, node, exits }) => {
          const box = placed.boxes.get(id)!;
          const mine = byNode.get(id) ?? [];
          const type = typeOf(node);
          const summary = summaryOf(node, language);
          return (
            <div key={id} class={`flow-card type-${type}${selected === id ? " selected" : ""}${mine.length ? " has-problem" : ""}`}
              style={{ left: box.x, top: box.y, width: CARD_WIDTH, height: box.h }}
              data-node={id} data-type={type} tabIndex={0} role="button"
              aria-label={t("flows.cardLabel", { id, type: tCode("flows.type", type), problems: mine.length })}
              aria-pressed={selected === id}
              onClick={() => choose(id)}
              onKeyDown={(e) => {
                if (e.target !== e.currentTarget) return;
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  choose(id);
                } else if ((e.key === "Delete" || e.key === "Backspace") && !readOnly) {
                  e.preventDefault();
                  onDelete(id);
                } else if (e.key.startsWith("Arrow")) {
                  const next = neighbour(id, e.key);
                  if (next) {
                    e.preventDefault();
                    frame.current?.querySelector<HTMLElement>(`[data-node="${CSS.escape(next)}"]`)?.focus();
                  }
                }
              }}>
              <div class="flow-card-head">
                <span class="flow-type">{tCode("flows.type", type)}</span>
                <span class="flow-card-id" title={id}>{id}</span>
                {counts && <NodeCountBadges counts={counts.nodes[id]} />}
                {mine.length > 0 && <span class="flow-card-problems" title={mine.map((p) => p.message).join("\n")}>{mine.length}</span>}
              </div>
              <div class="flow-card-summary" title={summary}>{summary || " "}</div>
              {exits.map((x) => {
                const active = connecting?.from === id && connecting.path === x.path;
                const broken = mine.some((p) => p.field === x.path);
                return (
                  <div key={x.path} class={`flow-exit${broken ? " broken" : ""}`} data-exit={x.path}>
                    <span class="flow-exit-label" title={x.path}>{exitLabel(x.path, x.label)}</span>
                    <span class="flow-exit-target">{x.target || t("flows.unconnected")}</span>
                    <button type="button" class={`flow-port${active ? " active" : ""}${x.target ? " linked" : ""}`} disabled={readOnly}
                      title={t("flows.portTitle", { exit: exitLabel(x.path, x.label) })}
                      aria-label={t("flows.portTitle", { exit: `${id} ${x.path}` })}
                      onClick={(e) => { e.stopPropagation(); onPort(id, x.path); }} />
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      {list.length === 0 && <div class="flow-empty muted">{t("flows.emptyDrawing")}</div>}
      <div class="flow-zoom">
        <button type="button" class="small" onClick={() => zoom(1.2)} title={t("flows.zoomIn")} aria-label={t("flows.zoomIn")}>+</button>
        <span class="mono small">{Math.round(view.k * 100)}%</span>
        <button type="button" class="small" onClick={() => zoom(1 / 1.2)} title={t("flows.zoomOut")} aria-label={t("flows.zoomOut")}>−</button>
        <button type="button" class="small" id="flow-fit" onClick={fit}>{t("flows.fit")}</button>
      </div>
      <Minimap boxes={placed.boxes} width={placed.width} height={placed.height} view={view} size={size} selected={selected}
        problems={byNode} onMove={(x, y) => setView((v) => ({ ...v, x: size.w / 2 - x * v.k, y: size.h / 2 - y * v.k }))} />
    </div>
  );
}

/** An arrow's label: the exit, and with path counts " · 7" (the calls that took it). */
function EdgeLabel({ x, y, text, anchor, count }: { x: number; y: number; text: string; anchor: "start" | "middle"; count?: string }) {
  const width = (s: string) => [...s].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 10.5 : 5.8), 0);
  const extra = count === undefined ? 0 : width(` · ${count}`) + 2;
  const w = Math.min(150 + extra, width(text) + 8 + extra);
  return (
    <g class="flow-edge-label">
      <rect x={anchor === "start" ? x - 3 : x - w / 2} y={y - 8} width={w} height={15} rx={3} />
      <text x={anchor === "start" ? x + 1 : x} y={y + 3} text-anchor={anchor}>
        {text}
        {count !== undefined && <tspan class="flow-edge-count">{` · ${count}`}</tspan>}
      </text>
    </g>
  );
}

/** A card's calls in the period: how many entered it, and ⟂ how many hung up there. */
function NodeCountBadges({ counts }: { counts: NodeCounts | undefined }) {
  const entered = counts?.entered ?? 0;
  const hungUp = counts?.hung_up ?? 0;
  return (
    <>
      <span class={`flow-count${entered ? "" : " zero"}`} data-entered={entered}
        title={t("flows.counts.entered", { n: formatNumber(entered) })} aria-label={t("flows.counts.entered", { n: formatNumber(entered) })}>
        {formatNumber(entered)}
      </span>
      <span class={`flow-count hung-up${hungUp ? "" : " zero"}`} data-hung-up={hungUp}
        title={t("flows.counts.hungUp", { n: formatNumber(hungUp) })} aria-label={t("flows.counts.hungUp", { n: formatNumber(hungUp) })}>
        ⟂ {formatNumber(hungUp)}
      </span>
    </>
  );
}

const MINI_W = 180;
const MINI_H = 110;

function Minimap({ boxes, width, height, view, size, selected, problems, onMove }: {
  boxes: Map<string, Box>; width: number; height: number; view: View; size: { w: number; h: number };
  selected: string | null; problems: Map<string, Problem[]>; onMove: (x: number, y: number) => void;
}) {
  const scale = Math.min(MINI_W / width, MINI_H / height);
  const dragging = useRef(false);
  const move = (e: PointerEvent) => {
    const rect = (e.currentTarget as SVGElement).getBoundingClientRect();
    onMove((e.clientX - rect.left) / scale, (e.clientY - rect.top) / scale);
  };
  return (
    <svg class="flow-minimap" width={width * scale} height={height * scale} role="img" aria-label={t("flows.minimap")}
      onPointerDown={(e) => { dragging.current = true; (e.currentTarget as SVGElement).setPointerCapture(e.pointerId); move(e); }}
      onPointerMove={(e) => { if (dragging.current) move(e); }}
      onPointerUp={() => { dragging.current = false; }}>
      {[...boxes].map(([id, b]) => (
        <rect key={id} x={b.x * scale} y={b.y * scale} width={Math.max(2, b.w * scale)} height={Math.max(2, b.h * scale)}
          class={id === selected ? "mini-selected" : problems.has(id) ? "mini-problem" : "mini-node"} />
      ))}
      <rect class="mini-view" x={(-view.x / view.k) * scale} y={(-view.y / view.k) * scale}
        width={(size.w / view.k) * scale} height={(size.h / view.k) * scale} />
    </svg>
  );
}
