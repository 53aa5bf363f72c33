// The console's frame: which tab and record are open (in the hash: #/admin?tab=queues&key=support,
// so Back and a reload keep them), the tabs, and a record's page — the way back to the
// list, the title, the form, and beside it the facts and the audit trail.
import type { ComponentChildren } from "preact";
import type { User } from "../api";
import { t } from "../i18n";
import { session } from "../session";
import { Store, useStore } from "../store";

export type ConsoleRoute = { page: string; tab: string; key: string; isNew: boolean };

function read(): ConsoleRoute {
  const [path, search] = location.hash.replace(/^#\/?/, "").split("?");
  const params = new URLSearchParams(search ?? "");
  return { page: path ?? "", tab: params.get("tab") ?? "", key: params.get("key") ?? "", isNew: params.has("new") };
}

export const consoleRoute = new Store<ConsoleRoute>(read());
window.addEventListener("hashchange", () => {
  const next = read();
  const now = consoleRoute.get();
  if (next.page !== now.page || next.tab !== now.tab || next.key !== now.key || next.isNew !== now.isNew) consoleRoute.set(next);
});

/** Opens a tab of a console page, a record in it (`key`), or a new record. */
export function openRecord(page: string, tab: string, key = "", isNew = false): void {
  const params = new URLSearchParams({ tab });
  if (key) params.set("key", key);
  if (isNew) params.set("new", "1");
  location.hash = `#/${page}?${params.toString()}`;
}

const nobody: User = { id: 0, username: "", display_name: "", role: "agent", extension: "" };

/** The signed-in user (the console is only shown signed in; while signing out, nobody
 *  with no rights). */
export function useViewer(): User {
  const current = useStore(session);
  return current.state === "signed_in" ? current.user : nobody;
}

export type Tab = { id: string; label: string };

/** The tabs of a console page, keyboard-reachable links. */
export function Tabs({ page, tabs, current }: { page: string; tabs: Tab[]; current: string }) {
  return (
    <nav class="tabs" aria-label={t("console.tabs")}>
      {tabs.map((tab) => (
        <a key={tab.id} href={`#/${page}?tab=${tab.id}`} id={`tab-${tab.id}`} class={tab.id === current ? "active" : ""}
          aria-current={tab.id === current ? "page" : undefined}>{tab.label}</a>
      ))}
    </nav>
  );
}

type RecordPageProps = {
  /** "‹ Skills": back to the list. */
  backLabel: string; onBack: () => void;
  title: ComponentChildren; subtitle?: ComponentChildren;
  /** The form. */
  children: ComponentChildren;
  /** Beside the form: facts, live status, the audit trail. */
  aside?: ComponentChildren;
};

export function RecordPage({ backLabel, onBack, title, subtitle, children, aside }: RecordPageProps) {
  return (
    <div class="record-page">
      <div class="record-head">
        <button type="button" class="quiet back" id="record-back" onClick={onBack}>‹ {backLabel}</button>
        <h2 id="record-title">{title}</h2>
        {subtitle && <span class="muted small">{subtitle}</span>}
      </div>
      <div class="record-body">
        <div class="record-main panel">{children}</div>
        {aside && <aside class="record-aside">{aside}</aside>}
      </div>
    </div>
  );
}

/** A comma-separated list typed in a field, as the API's array. */
export const listOf = (text: string): string[] => text.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean);

/** A number typed in a field for the API: empty → absent (the default), digits → a
 *  number, anything else as typed (the server names the field). */
export function typedNumber(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}
