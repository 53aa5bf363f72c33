// A record's audit trail: GET /api/v1/audit?target=<kind>:<key> (admins and
// supervisors; others are told so), newest first — when, who, what, and the detail: for a record saved
// again, only the fields that changed since the entry below it.
import { useEffect, useState } from "preact/hooks";
import { api, query } from "../api";
import { formatDateTime } from "../format";
import { t, tCode } from "../i18n";
import { useViewer } from "./Console";

export type AuditEntry = {
  id: number; at: number; actor: string; actor_role: string; action: string; target: string; detail: string; source: string;
};

const STEP = 20;

type Detail = Record<string, unknown> | null;

function parsed(text: string): Detail {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A value of a detail in a few words: lists joined by commas, objects as k=v, yes/no
 *  and "none" in the reader's language. */
function shown(value: unknown): string {
  if (value === "" || (Array.isArray(value) && value.length === 0)) return t("audit.empty");
  if (typeof value === "boolean") return t(value ? "audit.yes" : "audit.no");
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(shown).join(", ");
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? entries.map(([k, v]) => `${k}=${shown(v)}`).join(" ") : "{}";
  }
  return String(value);
}

/** The detail in a line: the fields changed since `before` (same action), else all. */
export function describe(detail: string, before: string | undefined, label: (key: string) => string = (key) => key): string {
  const now = parsed(detail);
  if (!now) return detail;
  const then = before === undefined ? null : parsed(before);
  if (then) {
    const changed = Object.keys(now).filter((key) => JSON.stringify(now[key]) !== JSON.stringify(then[key]));
    if (changed.length === 0) return t("audit.unchanged");
    return changed.map((key) => `${label(key)}: ${shown(then[key] ?? "")} → ${shown(now[key])}`).join(" · ");
  }
  return Object.entries(now).map(([key, value]) => `${label(key)}: ${shown(value)}`).join(" · ");
}

/** `target`: "queue:support"; `version` changes after a save, to load it again;
 *  `subject`: what the trail is of, under the title (when the page has several);
 *  `fields`: the catalogue prefix of the record's field labels ("queues.f": a
 *  detail's `max_wait_s` is shown as "queues.f.max_wait_s" says, else as it is). */
export function AuditTrail({ target, version = 0, fields, subject }: { target: string; version?: number; fields?: string; subject?: string }) {
  const role = useViewer().role;
  const reads = role === "admin" || role === "supervisor";
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [limit, setLimit] = useState(STEP);
  const [error, setError] = useState("");
  useEffect(() => {
    if (!reads) return undefined;
    let live = true;
    api<{ items: AuditEntry[] }>("GET", `/audit${query({ target, limit })}`)
      .then((answer) => { if (live) { setItems(answer.items); setError(""); } })
      .catch((failure: unknown) => { if (live) setError(failure instanceof Error ? failure.message : String(failure)); });
    return () => { live = false; };
  }, [target, version, limit, reads]);
  return (
    <section class="panel audit-trail" id="audit-trail" aria-label={t("audit.title")}>
      <h2>{t("audit.title")}</h2>
      {subject && <p class="muted small audit-subject" id="audit-subject">{subject}</p>}
      {!reads && <p class="muted small">{t("audit.adminsOnly")}</p>}
      {error && <p class="form-error" role="alert">{error}</p>}
      {reads && items?.length === 0 && <p class="muted small">{t("audit.none")}</p>}
      {reads && items && items.length > 0 && (
        <ol class="audit-list">
          {items.map((entry, i) => {
            // A "saved" entry holds the whole record: compare it with the one before.
            const older = entry.action.endsWith(".saved") ? items.slice(i + 1).find((e) => e.action === entry.action) : undefined;
            return (
              <li key={entry.id} data-action={entry.action}>
                <div class="audit-head">
                  <span class="audit-action">{tCode("audit.action", entry.action)}</span>
                  <span class="audit-actor">{entry.actor}</span>
                  <time class="audit-at muted" dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at)}</time>
                </div>
                <div class="audit-detail" title={entry.detail}>{describe(entry.detail, older?.detail, fields ? (key) => tCode(fields, key) : undefined)}</div>
              </li>
            );
          })}
        </ol>
      )}
      {reads && items && items.length >= limit && (
        <button type="button" class="small" id="audit-more" onClick={() => setLimit(limit + STEP)}>{t("audit.more")}</button>
      )}
    </section>
  );
}
