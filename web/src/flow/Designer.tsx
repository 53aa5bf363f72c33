// The flow designer: one flow's working copy drawn (Canvas), edited in the side form
// (NodeForm) or as JSON, checked by the server as it changes (POST …/validate, with
// the problems pinned to their node and field), saved as the draft, published, rolled
// back, and compared between versions. The working copy is an ordered JSON document
// and its text: the text is what the JSON view shows and what is sent, so the lines of
// the server's problems are the JSON view's lines.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError, RawJson } from "../api";
import { lang, t, tCode } from "../i18n";
import { useStore } from "../store";
import { formatDateTime } from "../format";
import { PathCountsControl, TestCall, usePathCounts } from "./calls";
import { Canvas, type Connecting } from "./Canvas";
import { diffLines } from "./diff";
import {
  addNode, deleteNode, emptyFlow, exitsOf, freshId, NODE_TYPES, type NodeType, nodesOf, type Problem, renameNode, setExit, setNode,
  template, VALID_ID,
} from "./graph";
import { isObject, type JObject, parseJson, printJson, str, withKey } from "./json";
import { FlowForm, NodeForm } from "./NodeForm";
import { unsaved } from "./unsaved";

type Working = { doc: JObject; text: string };
type StoredVersion = { version: number; status: string; created_at: number; created_by: string; text?: string };
export type FlowOverview = {
  name: string; current_version: number; draft: StoredVersion | null; versions: StoredVersion[];
};
type View = "drawing" | "json" | "versions";
type Message = { ok: boolean; text: string } | null;

const failure = (error: unknown): string =>
  error instanceof ApiError ? (error.code === "forbidden" ? t("error.forbidden")
    : error.code === "http_node_needs_admin" ? t("flows.httpNeedsAdmin") : error.message) : String(error);

/** Problems of a 422 answer ({"error":{"details":[…]}}). */
const problemsOf = (error: unknown): Problem[] | null => {
  if (!(error instanceof ApiError) || error.code !== "invalid_flow") return null;
  return Array.isArray(error.details) ? (error.details as Problem[]) : null;
};

export function Designer({ name, initial, onClose, onRenamed }: {
  name: string;
  /** The text of a flow not saved yet; null loads the flow's draft (else its current version). */
  initial: string | null;
  onClose: () => void;
  onRenamed: (name: string) => void;
}) {
  const [working, setWorking] = useState<Working | null>(null);
  const [saved, setSaved] = useState<string | null>(null); // the text of the draft on the server
  const [overview, setOverview] = useState<FlowOverview | null>(null);
  const [undo, setUndo] = useState<Working[]>([]);
  const [redo, setRedo] = useState<Working[]>([]);
  const lastEdit = useRef<{ key: string; at: number }>({ key: "", at: 0 });
  const [selected, setSelected] = useState<string | null>(null);
  const [connecting, setConnecting] = useState<Connecting>(null);
  const [focus, setFocus] = useState<{ id: string; seq: number } | null>(null);
  const [view, setView] = useState<View>("drawing");
  const [jsonText, setJsonText] = useState("");
  const [jsonError, setJsonError] = useState<{ message: string; line: number; column: number } | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const [queues, setQueues] = useState<string[]>([]);
  const [calendars, setCalendars] = useState<string[]>([]);
  const jsonArea = useRef<HTMLTextAreaElement>(null);
  const paths = usePathCounts(name);
  const pendingField = useRef<string | null>(null);
  // A message is in the language it was made in: another language clears it.
  const language = useStore(lang);
  useEffect(() => setMessage(null), [language]);

  /** Reads the flow's versions; `fresh` also makes the flow (or, the first time, the
   *  text given for a new flow) the working copy. */
  const load = async (flow: string, fresh: boolean, first = false) => {
    let found: FlowOverview | null = null;
    try {
      found = await api<FlowOverview>("GET", `/flows/${encodeURIComponent(flow)}`);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) setMessage({ ok: false, text: failure(e) });
    }
    setOverview(found);
    if (!fresh) return;
    const given = first ? initial : null;
    let text = given ?? emptyFlow(flow);
    let stored: string | null = null; // what the server holds: the draft, else the current version
    try {
      if (given === null && found?.draft?.text !== undefined) stored = found.draft.text;
      else if (given === null && found && found.current_version > 0) {
        stored = (await api<StoredVersion>("GET", `/flows/${encodeURIComponent(flow)}/versions/${found.current_version}`)).text ?? null;
      }
    } catch (e) {
      setMessage({ ok: false, text: failure(e) });
    }
    if (stored !== null) text = stored;
    setSaved(stored);
    const kept = first ? unsaved.get(flow) : undefined;
    open(kept ?? text);
    if (kept !== undefined && kept !== text) {
      const parsed = parseJson(text);
      if (parsed.ok && isObject(parsed.value)) setUndo([{ doc: parsed.value, text }]); // Undo goes back to what is stored
      setMessage({ ok: true, text: t("flows.restored") });
    }
  };
  /** Makes `text` the working copy (a flow loaded or a version opened). */
  const open = (text: string) => {
    const parsed = parseJson(text);
    if (parsed.ok && isObject(parsed.value)) {
      setWorking({ doc: parsed.value, text });
      setJsonError(null);
    } else {
      // Kept as it is in the JSON view, where the error is shown: nothing is lost.
      setWorking({ doc: new Map(), text });
      setJsonText(text);
      setJsonError(parsed.ok ? { message: t("flows.notAnObject"), line: 1, column: 1 } : parsed);
      setView("json");
    }
    setUndo([]);
    setRedo([]);
    setSelected(null);
  };
  useEffect(() => {
    void load(name, true, true);
    api<{ items: { name: string }[] }>("GET", "/queues").then((a) => setQueues(a.items.map((q) => q.name))).catch(() => setQueues([]));
    api<{ items: { name: string }[] }>("GET", "/calendars").then((a) => setCalendars(a.items.map((c) => c.name)))
      .catch(() => setCalendars([]));
  }, []);

  const dirty = working !== null && (working.text !== saved || jsonError !== null);
  useEffect(() => {
    if (!working) return;
    const text = jsonError ? jsonText : working.text;
    if (dirty) unsaved.set(name, text);
    else unsaved.delete(name);
  }, [working, jsonText, dirty]);
  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  /** A change to the document from the drawing or the forms; typing in one field within
   *  a second is one step of undo. */
  const commit = (doc: JObject, key = "", text?: string) => {
    if (!working) return;
    const now = Date.now();
    const same = key !== "" && lastEdit.current.key === key && now - lastEdit.current.at < 1000;
    lastEdit.current = { key, at: now };
    if (!same) setUndo((u) => [...u.slice(-99), working]);
    setRedo([]);
    setWorking({ doc, text: text ?? printJson(doc) });
  };
  const step = (back: boolean) => {
    if (!working) return;
    const from = back ? undo : redo;
    const target = from[from.length - 1];
    if (!target) return;
    (back ? setUndo : setRedo)(from.slice(0, -1));
    (back ? setRedo : setUndo)((list) => [...list, working]);
    setWorking(target);
    setJsonText(target.text);
    setJsonError(null);
    lastEdit.current = { key: "", at: 0 };
    if (selected && !nodesOf(target.doc).has(selected)) setSelected(null);
  };

  // Live validation of the working copy, half a second after the last change.
  const docName = working ? str(working.doc.get("name")) : "";
  const checkSeq = useRef(0);
  useEffect(() => {
    if (!working || jsonError) return undefined;
    const seq = ++checkSeq.current;
    if (!VALID_ID.test(docName)) {
      setProblems([{ node: "", field: "name", message: t("flows.badName"), pointer: "/name" }]);
      return undefined;
    }
    setChecking(true);
    const timer = window.setTimeout(async () => {
      let found: Problem[] = [];
      try {
        await api("POST", `/flows/${encodeURIComponent(docName)}/validate`, new RawJson(working.text));
      } catch (e) {
        found = problemsOf(e) ?? [{ node: "", field: "", message: failure(e), pointer: "" }];
      }
      if (seq === checkSeq.current) {
        setProblems(found);
        setChecking(false);
      }
    }, 500);
    return () => window.clearTimeout(timer);
  }, [working?.text, jsonError]);

  // After a problem is chosen: focus its field once the form shows it.
  useEffect(() => {
    const field = pendingField.current;
    if (field === null) return;
    pendingField.current = null;
    const form = document.querySelector(selected ? "#node-form" : "#flow-form");
    const base = field.replace(/\[(\d+)\]/, "[$1]").split(".")[0]!;
    const holder = form?.querySelector(`[data-field="${CSS.escape(field.startsWith("rules[") ? field.split(".")[0]! : base)}"]`)
      ?? form?.querySelector(`[data-field="${CSS.escape(base.split("[")[0]!)}"]`);
    const option = /^options\.(.+)$/.exec(field);
    const input = (option ? holder?.querySelector(`[data-option="${CSS.escape(option[1]!)}"] select:not(.key-select)`) : null)
      ?? holder?.querySelector<HTMLElement>("input, select, textarea");
    (input as HTMLElement | null | undefined)?.focus();
  });

  if (!working) return <div class="empty">{message ? <p class="form-error">{message.text}</p> : t("flows.loading")}</div>;
  const doc = working.doc;
  const nodes = nodesOf(doc);
  const list = problems ?? [];

  const select = (id: string | null) => {
    setSelected(id);
    if (id) setFocus({ id, seq: (focus?.seq ?? 0) + 1 });
  };
  const onPort = (from: string, path: string) => {
    setConnecting(connecting && connecting.from === from && connecting.path === path ? null : { from, path });
  };
  const onConnect = (target: string) => {
    if (!connecting) return;
    commit(setExit(doc, connecting.from, connecting.path, target));
    setMessage({ ok: true, text: t("flows.connected", { exit: connecting.path, from: connecting.from, to: target }) });
    setSelected(connecting.from);
    setConnecting(null);
  };
  const add = (type: NodeType) => {
    const id = freshId(doc, type);
    let next = addNode(doc, id, template(type));
    if (connecting) next = setExit(next, connecting.from, connecting.path, id);
    commit(next);
    setConnecting(null);
    select(id);
  };
  const remove = (id: string) => {
    commit(deleteNode(doc, id));
    setSelected(null);
    setMessage({ ok: true, text: t("flows.deleted", { id }) });
  };
  const choose = (p: Problem) => {
    if (view === "json" && p.line) {
      const area = jsonArea.current;
      if (area) {
        const lines = area.value.split("\n");
        const at = lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0);
        area.focus();
        area.setSelectionRange(at, at + (lines[p.line - 1]?.length ?? 0));
      }
      return;
    }
    if (view !== "drawing") setView("drawing");
    const id = p.node && nodes.has(p.node) ? p.node : null;
    select(id);
    pendingField.current = p.field || (id ? "id" : "name");
  };

  const save = async (): Promise<boolean> => {
    setBusy(true);
    try {
      const answer = await api<{ name: string; valid: boolean; problems: Problem[] }>("POST", "/flows", new RawJson(working.text));
      setSaved(working.text);
      if (answer.name !== name) onRenamed(answer.name);
      await load(answer.name, false);
      setProblems(answer.problems);
      setMessage(answer.valid ? { ok: true, text: t("flows.savedDraft") }
        : { ok: false, text: t("flows.savedWithProblems", { n: answer.problems.length }) });
      return true;
    } catch (e) {
      setMessage({ ok: false, text: failure(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const publish = async () => {
    if ((dirty || !overview?.draft) && !(await save())) return;
    setBusy(true);
    try {
      const answer = await api<{ version: number }>("POST", `/flows/${encodeURIComponent(docName)}/publish`);
      setSaved(working.text); // the draft became the current version
      const found = await api<FlowOverview>("GET", `/flows/${encodeURIComponent(docName)}`).catch(() => null);
      if (found) setOverview(found);
      setMessage({ ok: true, text: t("flows.published", { version: answer.version }) });
    } catch (e) {
      const found = problemsOf(e);
      if (found) setProblems(found);
      setMessage({ ok: false, text: found ? t("flows.publishProblems", { n: found.length }) : failure(e) });
    } finally {
      setBusy(false);
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const typing = (e.target as HTMLElement).closest("input, textarea, select");
    if (e.key === "Escape" && connecting) {
      setConnecting(null);
      e.preventDefault();
    } else if (!typing && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
      e.preventDefault();
      step(!e.shiftKey);
    } else if (!typing && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "y") {
      e.preventDefault();
      step(false);
    }
  };

  const connectingLabel = connecting
    ? exitsOf(nodes.get(connecting.from)).find((x) => x.path === connecting.path)?.label ?? connecting.path : "";
  const problemCount = jsonError ? 1 : list.length;
  return (
    <div class="designer" onKeyDown={onKeyDown}>
      <div class="designer-bar">
        <button type="button" class="small" id="flow-back" onClick={() => {
          if (!dirty || window.confirm(t("flows.discard"))) {
            unsaved.delete(name);
            onClose();
          }
        }}>‹ {t("flows.back")}</button>
        <h1 class="designer-title">{docName || name}</h1>
        <span class={`pill ${dirty || !overview ? "flow-dirty" : "flow-clean"}`} id="flow-state">
          {!overview ? t("flows.new") : dirty ? t("flows.unsaved") : overview.draft ? t("flows.draftSaved")
            : t("flows.publishedVersion", { version: overview.current_version })}
        </span>
        <span class="segmented" role="tablist" aria-label={t("flows.views")}>
          {(["drawing", "json", "versions"] as const).map((v) => (
            <button key={v} type="button" role="tab" id={`view-${v}`} aria-selected={view === v} class={view === v ? "on" : ""}
              disabled={v !== "json" && jsonError !== null} title={v !== "json" && jsonError ? t("flows.fixJsonFirst") : undefined}
              onClick={() => {
                if (v === "json" && !jsonError) setJsonText(working.text);
                setView(v);
                setConnecting(null);
              }}>{t(`flows.view.${v}`)}</button>
          ))}
        </span>
        <button type="button" class="small" id="flow-undo" disabled={undo.length === 0} onClick={() => step(true)}
          title={t("flows.undoTitle")}>{t("flows.undo")}</button>
        <button type="button" class="small" id="flow-redo" disabled={redo.length === 0} onClick={() => step(false)}>{t("flows.redo")}</button>
        <select id="add-node" value="" aria-label={t("flows.addNode")} disabled={view !== "drawing"}
          onChange={(e) => { const type = e.currentTarget.value as NodeType; e.currentTarget.value = ""; if (type) add(type); }}>
          <option value="">{connecting ? t("flows.addConnected") : t("flows.addNode")}</option>
          {NODE_TYPES.map((type) => <option key={type} value={type}>{tCode("flows.type", type)}</option>)}
        </select>
        <TestCall flow={docName || name} dirty={dirty}
          blocked={jsonError ? t("flows.fixJsonFirst") : list.length ? t("flows.test.fixFirst", { n: list.length }) : ""}
          saveFirst={save} />
        <span class="gap" />
        <span class={`flow-check-state${problemCount ? " bad" : ""}`} id="flow-check" aria-live="polite">
          {checking ? t("flows.checking") : problems === null ? "" : problemCount ? t("flows.problemCount", { n: problemCount }) : t("flows.valid")}
        </span>
        <button type="button" id="flow-save" disabled={busy || jsonError !== null || !dirty} onClick={() => void save()}>{t("flows.saveDraft")}</button>
        <button type="button" class="primary" id="flow-publish" disabled={busy || jsonError !== null || list.length > 0}
          title={list.length ? t("flows.fixFirst") : undefined} onClick={() => void publish()}>{t("flows.publish")}</button>
      </div>
      {message && (
        <p class={message.ok ? "flow-notice" : "flow-error"} id="flow-message" role="status">
          {message.text}
          <button type="button" class="quiet small" aria-label={t("flows.dismiss")} onClick={() => setMessage(null)}>×</button>
        </p>
      )}
      <div class="designer-main">
        <div class="designer-stage">
          {view === "drawing" && (
            <>
              {connecting && (
                <div class="flow-connecting" id="flow-connecting" role="status">
                  {t("flows.connecting", { exit: connectingLabel, from: connecting.from })}
                  <button type="button" class="small" onClick={() => setConnecting(null)}>{t("flows.cancel")}</button>
                </div>
              )}
              <PathCountsControl paths={paths} lower={connecting !== null} />
              <Canvas doc={doc} problems={list} counts={paths.counts} selected={selected} connecting={connecting} focus={focus} readOnly={false}
                onSelect={(id) => select(id)} onPort={onPort} onConnect={onConnect} onDelete={remove} />
            </>
          )}
          {view === "json" && (
            <div class="flow-json">
              <textarea id="flow-json" ref={jsonArea} spellcheck={false} class="mono" value={jsonError ? jsonText : working.text}
                aria-label={t("flows.jsonLabel")}
                onInput={(e) => {
                  const text = e.currentTarget.value;
                  setJsonText(text);
                  const parsed = parseJson(text);
                  if (!parsed.ok) setJsonError(parsed);
                  else if (!isObject(parsed.value)) setJsonError({ message: t("flows.notAnObject"), line: 1, column: 1 });
                  else {
                    setJsonError(null);
                    commit(parsed.value, "json", text);
                  }
                }} />
              {jsonError && (
                <p class="flow-error" id="flow-json-error" role="alert">
                  {t("flows.jsonError", { line: jsonError.line, column: jsonError.column, message: jsonError.message })}
                </p>
              )}
            </div>
          )}
          {view === "versions" && (
            <Versions name={docName || name} overview={overview} working={working.text} busy={busy}
              onOpen={(text) => { commit(parseOr(text, doc), "", text); setView("drawing"); }}
              onRolledBack={(version) => {
                // Without a draft the working copy is the current version: the one rolled back to.
                void load(docName || name, !dirty && !overview?.draft)
                  .then(() => setMessage({ ok: true, text: t("flows.rolledBack", { version }) }));
              }}
              onError={(text) => setMessage({ ok: false, text })} />
          )}
        </div>
        <aside class="designer-side" aria-label={t("flows.side")}>
          <div class="designer-form">
            {selected && nodes.has(selected) ? (
              <NodeForm doc={doc} id={selected} problems={list.filter((p) => p.node === selected)} disabled={jsonError !== null}
                queues={queues} calendars={calendars}
                onChange={(node) => commit(setNode(doc, selected, node), `node:${selected}`)}
                onRename={(to) => { commit(renameNode(doc, selected, to)); setSelected(to); }}
                onDelete={() => remove(selected)}
                onSetStart={() => commit(withKey(doc, "start", selected))}
                onPick={(path) => { setView("drawing"); setConnecting({ from: selected, path }); }} />
            ) : (
              <FlowForm doc={doc} problems={list.filter((p) => !p.node || !nodes.has(p.node))} disabled={jsonError !== null}
                onChange={(next) => commit(next, "flow")} />
            )}
          </div>
          <div class="designer-problems" id="flow-problems">
            <h2>{t("flows.problems")} <span class="badge">{problemCount}</span></h2>
            {problemCount === 0 && <p class="muted small">{checking ? t("flows.checking") : t("flows.noProblems")}</p>}
            <ul>
              {jsonError && <li><span class="flow-error-text">{t("flows.jsonError", { line: jsonError.line, column: jsonError.column, message: jsonError.message })}</span></li>}
              {!jsonError && list.map((p, i) => (
                <li key={i}>
                  <button type="button" class="flow-problem" data-node={p.node} data-field={p.field} onClick={() => choose(p)}>
                    <span class="flow-problem-where">{p.node || t("flows.theFlow")}{p.field ? ` · ${p.field}` : ""}{p.line ? ` · ${t("flows.line", { n: p.line })}` : ""}</span>
                    <span>{p.message}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </aside>
      </div>
    </div>
  );
}

function parseOr(text: string, fallback: JObject): JObject {
  const parsed = parseJson(text);
  return parsed.ok && isObject(parsed.value) ? parsed.value : fallback;
}

/** Published versions: roll back to one, open one as the working copy, compare two. */
function Versions({ name, overview, working, busy, onOpen, onRolledBack, onError }: {
  name: string; overview: FlowOverview | null; working: string; busy: boolean;
  onOpen: (text: string) => void; onRolledBack: (version: number) => void; onError: (text: string) => void;
}) {
  const texts = useRef(new Map<string, string>());
  const versions = overview?.versions ?? [];
  const sources = ["working", ...(overview?.draft ? ["draft"] : []), ...versions.map((v) => String(v.version))];
  const [a, setA] = useState(overview?.current_version ? String(overview.current_version) : overview?.draft ? "draft" : "working");
  const [b, setB] = useState("working");
  const [diff, setDiff] = useState<{ a: string; b: string } | null>(null);
  const textOf = async (source: string): Promise<string> => {
    if (source === "working") return working;
    if (source === "draft") return overview?.draft?.text ?? "";
    const cached = texts.current.get(source);
    if (cached !== undefined) return cached;
    const answer = await api<StoredVersion>("GET", `/flows/${encodeURIComponent(name)}/versions/${source}`);
    texts.current.set(source, answer.text ?? "");
    return answer.text ?? "";
  };
  const label = (source: string) => (source === "working" ? t("flows.workingCopy") : source === "draft" ? t("flows.draft")
    : t("flows.versionN", { version: source }));
  // Compared as printed by the designer, so only changes of content show.
  const pretty = (text: string) => {
    const parsed = parseJson(text);
    return parsed.ok ? printJson(parsed.value) : text;
  };
  useEffect(() => {
    let live = true;
    Promise.all([textOf(a), textOf(b)]).then(([x, y]) => { if (live) setDiff({ a: pretty(x), b: pretty(y) }); })
      .catch((e: unknown) => onError(failure(e)));
    return () => { live = false; };
  }, [a, b, working, overview]);
  const lines = useMemo(() => (diff ? diffLines(diff.a, diff.b) : []), [diff]);
  const rollback = async (version: number) => {
    if (!window.confirm(t("flows.rollbackConfirm", { version }))) return;
    try {
      await api("POST", `/flows/${encodeURIComponent(name)}/rollback`, { version });
      onRolledBack(version);
    } catch (e) {
      onError(failure(e));
    }
  };
  const changed = lines.filter((l) => l.kind !== "same").length;
  return (
    <div class="flow-versions" id="flow-versions">
      <table class="grid">
        <thead><tr><th>{t("flows.col.version")}</th><th>{t("flows.col.when")}</th><th>{t("flows.col.by")}</th><th /><th /></tr></thead>
        <tbody>
          {overview?.draft && (
            <tr data-version="draft">
              <td>{t("flows.draft")}</td><td>{formatDateTime(overview.draft.created_at)}</td><td>{overview.draft.created_by}</td><td />
              <td class="num"><button type="button" class="small" onClick={() => onOpen(overview.draft!.text ?? "")}>{t("flows.open")}</button></td>
            </tr>
          )}
          {versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td class="mono">v{v.version}</td>
              <td>{formatDateTime(v.created_at)}</td>
              <td>{v.created_by}</td>
              <td>{v.version === overview?.current_version && <span class="pill flow-clean">{t("flows.current")}</span>}</td>
              <td class="num actions">
                <button type="button" class="small" onClick={() => void textOf(String(v.version)).then(onOpen)}>{t("flows.open")}</button>
                {v.version !== overview?.current_version && (
                  <button type="button" class="small" data-rollback={v.version} disabled={busy}
                    onClick={() => void rollback(v.version)}>{t("flows.rollbackTo")}</button>
                )}
              </td>
            </tr>
          ))}
          {versions.length === 0 && !overview?.draft && <tr><td colSpan={5} class="empty-row">{t("flows.noVersions")}</td></tr>}
        </tbody>
      </table>
      <div class="toolbar flow-diff-bar">
        <h2>{t("flows.compare")}</h2>
        <select id="diff-a" value={a} aria-label={t("flows.compareFrom")} onChange={(e) => setA(e.currentTarget.value)}>
          {sources.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
        <span>→</span>
        <select id="diff-b" value={b} aria-label={t("flows.compareTo")} onChange={(e) => setB(e.currentTarget.value)}>
          {sources.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
        <span class="muted small" id="diff-count">{changed === 0 ? t("flows.same") : t("flows.changedLines", { n: changed })}</span>
      </div>
      <pre class="flow-diff" id="flow-diff">
        {lines.map((l, i) => (
          <div key={i} class={`diff-${l.kind}`}><span class="diff-no">{l.a ?? ""}</span><span class="diff-no">{l.b ?? ""}</span>
            <span class="diff-sign">{l.kind === "added" ? "+" : l.kind === "removed" ? "−" : " "}</span>{l.text}</div>
        ))}
      </pre>
    </div>
  );
}
