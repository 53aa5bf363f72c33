// IVR call flows (admins and supervisors, as the API allows: docs/api.md): the list
// of flows with search, a new flow by name, and the designer (flow/Designer.tsx) for
// one of them. The open flow is in the hash (#/flows?name=main). The designer is
// loaded when a flow is opened, so the app's other pages do not carry it.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import type { Designer as DesignerType } from "../flow/Designer";
import { emptyFlow, VALID_ID } from "../flow/graph";
import { unsaved } from "../flow/unsaved";
import { t } from "../i18n";
import { Empty } from "../ui";

type FlowSummary = { name: string; dids: string[]; current_version: number; latest_version: number; has_draft: boolean };

const openName = (): string => new URLSearchParams(location.hash.split("?")[1] ?? "").get("name") ?? "";

function setOpen(name: string): void {
  history.replaceState(null, "", name ? `#/flows?name=${encodeURIComponent(name)}` : "#/flows");
}

export function FlowsPage() {
  const [items, setItems] = useState<FlowSummary[] | null>(null);
  const [error, setError] = useState("");
  const [filter, setFilter] = useState("");
  const [open, setOpenState] = useState<{ name: string; initial: string | null } | null>(() =>
    openName() ? { name: openName(), initial: null } : null);
  const [newName, setNewName] = useState("");
  const [newError, setNewError] = useState("");
  const reload = () => {
    api<{ items: FlowSummary[] }>("GET", "/flows").then((a) => { setItems(a.items); setError(""); })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  };
  useEffect(reload, []);
  const [Designer, setDesigner] = useState<typeof DesignerType | null>(null);
  useEffect(() => {
    if (open && !Designer) {
      import("../flow/Designer").then((m) => setDesigner(() => m.Designer))
        .catch((e: unknown) => setError(String(e)));
    }
  }, [open]);
  const show = (name: string, initial: string | null) => {
    setOpen(name);
    setOpenState({ name, initial });
  };
  if (open) {
    if (!Designer) return <div class="page flows-page">{error ? <p class="form-error">{error}</p> : <Empty>{t("flows.loading")}</Empty>}</div>;
    return (
      <div class="page flows-page designer-page">
        <Designer key={open.name} name={open.name} initial={open.initial}
          onClose={() => { setOpen(""); setOpenState(null); reload(); }}
          onRenamed={(name) => { setOpen(name); }} />
      </div>
    );
  }
  const create = (e: Event) => {
    e.preventDefault();
    const name = newName.trim();
    if (!VALID_ID.test(name)) setNewError(t("flows.badName"));
    else if (items?.some((f) => f.name === name)) setNewError(t("flows.nameTaken", { name }));
    else {
      setNewName("");
      show(name, emptyFlow(name));
    }
  };
  const needle = filter.trim().toLowerCase();
  // Flows drawn in this tab and not saved yet are listed too.
  const drafts: FlowSummary[] = [...unsaved.keys()].filter((n) => !items?.some((f) => f.name === n))
    .map((n) => ({ name: n, dids: [], current_version: 0, latest_version: 0, has_draft: false }));
  const shown = [...(items ?? []), ...drafts].filter((f) => !needle || f.name.toLowerCase().includes(needle) || f.dids.some((d) => d.includes(needle)));
  return (
    <div class="page flows-page">
      <div class="page-head"><h1>{t("flows.title")}</h1><span class="muted small">{t("flows.intro")}</span></div>
      <div class="toolbar">
        <input type="search" class="filter" id="flow-filter" placeholder={t("flows.filter")} aria-label={t("flows.filter")}
          value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <span class="gap" />
        <form class="flow-new" onSubmit={create}>
          <input type="text" id="flow-new-name" placeholder={t("flows.newName")} aria-label={t("flows.newName")} value={newName}
            onInput={(e) => { setNewName(e.currentTarget.value); setNewError(""); }} />
          <button type="submit" class="primary" id="flow-new">{t("flows.create")}</button>
        </form>
      </div>
      {newError && <p class="form-error" role="alert" id="flow-new-error">{newError}</p>}
      {error && <p class="form-error" role="alert">{error}</p>}
      {items && shown.length === 0 ? <Empty>{items.length ? t("flows.noMatch") : t("flows.none_yet")}</Empty> : (
        <table class="grid" id="flow-list">
          <thead><tr><th>{t("flows.col.name")}</th><th>{t("flows.col.dids")}</th><th class="num">{t("flows.col.current")}</th>
            <th class="num">{t("flows.col.latest")}</th><th>{t("flows.col.draft")}</th><th /></tr></thead>
          <tbody>
            {shown.map((f) => (
              <tr key={f.name} data-flow={f.name}>
                <td class="mono">{f.name}</td>
                <td>{f.dids.map((d) => <span key={d} class="tag mono">{d}</span>)}</td>
                <td class="num mono">{f.current_version ? `v${f.current_version}` : "—"}</td>
                <td class="num mono">{f.latest_version ? `v${f.latest_version}` : "—"}</td>
                <td>
                  {unsaved.has(f.name) ? <span class="pill flow-dirty">{t("flows.unsaved")}</span>
                    : f.has_draft && <span class="pill flow-dirty">{t("flows.hasDraft")}</span>}
                </td>
                <td class="num"><button type="button" class="small" data-open={f.name}
                  onClick={() => show(f.name, f.latest_version || f.has_draft ? null : emptyFlow(f.name))}>{t("flows.edit")}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
