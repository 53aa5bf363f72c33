// Small shared pieces of the UI.
import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { events } from "./events";
import { lang, setLang, t, tCode } from "./i18n";
import { useNow, useStore } from "./store";

export function LangSwitch() {
  const current = useStore(lang);
  return (
    <button type="button" class="lang-switch" id="lang" title={t("lang.switchTitle")}
      onClick={() => setLang(current === "en" ? "zh-CN" : "en")}>
      {t("lang.switch")}
    </button>
  );
}

export function ConnectionIndicator() {
  const connection = useStore(events.connection);
  const now = useNow();
  if (connection.kind === "idle") return null;
  const live = connection.kind === "live";
  const label = connection.kind === "live" ? t("conn.live")
    : connection.kind === "retry" ? t("conn.retry", { s: Math.max(1, Math.ceil((connection.at - now) / 1000)) })
    : t("conn.connecting");
  return (
    <span class={`conn conn-${connection.kind}`} id="connection" data-state={connection.kind}
      title={live ? t("conn.liveTitle") : t("conn.downTitle")}>
      <i class="dot" />
      {label}
    </span>
  );
}

/** An agent's state as a coloured pill. */
export function AgentStatePill({ state }: { state: string }) {
  return <span class={`pill state-${state}`} data-state={state}>{tCode("state", state)}</span>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** Closes an open drop-down menu on a click outside `anchor` or on Escape. A layout
 *  effect: attached as the menu renders, so an Escape pressed at once is seen. */
export function useDismiss(open: boolean, close: () => void, anchor: RefObject<HTMLElement>): void {
  useLayoutEffect(() => {
    if (!open) return undefined;
    const outside = (event: Event) => {
      if (!anchor.current?.contains(event.target as Node)) close();
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === "Escape") close();
    };
    document.addEventListener("pointerdown", outside);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("pointerdown", outside);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);
}

/** Calls `work` at most once per `ms`, trailing. */
export function useDebounced(work: () => void, ms: number): () => void {
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(work);
  latest.current = work;
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return () => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, ms);
  };
}

/** Saves `blob` as a download named `filename` (the browser's Save dialog or folder). */
export function saveFile(blob: Blob, filename: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  link.click();
  // The download reads the URL after the click returns.
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}
