// A supervisor forcing an agent's state (POST /agents/{extension}/state): the Ready,
// Not ready (with a reason from the configured codes, or one typed) and Log out
// buttons of the Agents page and the wallboard's grid.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Agent, type AgentState, type Code, type Codes } from "./api";
import { codeLabel, codesOf, reasonCodes } from "./desk";
import { events } from "./events";
import { t } from "./i18n";
import { useDismiss } from "./ui";

let codes: Promise<Code[]> | null = null;
// An admin changed the lists ("cti_codes" event): the next menu offers the new ones.
events.on("cti_codes", (event) => {
  if (event.record) codes = Promise.resolve(reasonCodes(codesOf(event.record as Partial<Codes>)));
});

/** The not-ready reasons offered (GET /cti/codes once, then as "cti_codes" events
 *  change them; the built-in ones until then or without it). */
export function useReasonCodes(): Code[] {
  const fallback = reasonCodes({ dispositions: [], not_ready_reasons: [] });
  const [list, setList] = useState<Code[]>(fallback);
  useEffect(() => {
    codes ??= api<Codes>("GET", "/cti/codes").then(reasonCodes).catch(() => {
      codes = null;
      return fallback;
    });
    let live = true;
    void codes.then((got) => live && setList(got));
    const stop = events.on("cti_codes", () => void codes?.then((got) => live && setList(got)));
    return () => { live = false; stop(); };
  }, []);
  return list;
}

/** Forces the state; answers the agent as it is now, or throws an Error whose message is for the user. */
export async function forceState(extension: string, state: AgentState, reason?: string): Promise<Agent> {
  try {
    const body = state === "not_ready" ? { state, reason: reason ?? "" } : { state };
    return await api<Agent>("POST", `/agents/${encodeURIComponent(extension)}/state`, body);
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 403) throw new Error(t("error.forbidden"));
    throw failure instanceof Error ? failure : new Error(String(failure));
  }
}

export function ForceStateButtons({ agent, busy, reasons, onForce }: {
  agent: Pick<Agent, "state">; busy: boolean; reasons: Code[]; onForce: (state: AgentState, reason?: string) => void;
}) {
  const [menu, setMenu] = useState(false);
  const [other, setOther] = useState("");
  const anchor = useRef<HTMLSpanElement>(null);
  useDismiss(menu, () => setMenu(false), anchor);
  const choose = (reason: string) => {
    setMenu(false);
    setOther("");
    onForce("not_ready", reason);
  };
  return (
    <div class="actions">
      <button type="button" class="small" data-action="ready" disabled={busy || agent.state === "ready"}
        onClick={() => onForce("ready")}>{t("agents.action.ready")}</button>
      <span class="menu-anchor" ref={anchor}>
        <button type="button" class="small" data-action="not_ready" disabled={busy} aria-expanded={menu}
          onClick={() => setMenu(!menu)}>{t("agents.action.notReady")} ▾</button>
        {menu && (
          <div class="menu" role="menu">
            {reasons.map((reason) => (
              <button type="button" role="menuitem" key={reason.code} data-reason={reason.code}
                onClick={() => choose(reason.code)}>
                {codeLabel(reasons, reason.code, "reason")}
              </button>
            ))}
            <form class="menu-other" onSubmit={(e) => { e.preventDefault(); if (other.trim()) choose(other.trim()); }}>
              <input value={other} placeholder={t("agents.action.otherReason")} maxLength={64}
                onInput={(e) => setOther(e.currentTarget.value)} />
              <button type="submit" class="small">{t("agents.action.apply")}</button>
            </form>
          </div>
        )}
      </span>
      <button type="button" class="small" data-action="logged_out" disabled={busy || agent.state === "logged_out"}
        onClick={() => onForce("logged_out")}>{t("agents.action.logOut")}</button>
    </div>
  );
}

/** Why forcing an agent's state failed, in a row under theirs until dismissed. */
export function ForceError({ extension, message, columns, onDismiss }: {
  extension: string; message: string; columns: number; onDismiss: () => void;
}) {
  return (
    <tr class="row-error" data-error-for={extension}>
      <td colSpan={columns} role="alert">
        {t("agents.action.failed", { ext: extension, message })}
        <button type="button" class="dismiss" title={t("agents.action.dismiss")} aria-label={t("agents.action.dismiss")}
          onClick={onDismiss}>×</button>
      </td>
    </tr>
  );
}
