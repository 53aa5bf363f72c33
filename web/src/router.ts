// Pages live behind the hash (#/agents), so unicc serves one index.html for all.
import type { Role, User } from "./api";
import type { MessageKey } from "./i18n";
import { Store } from "./store";

export type PageId =
  "home" | "wallboard" | "agents" | "calls" | "desktop" | "quality" | "recordings" | "cases" | "staffing" | "flows" | "admin"
  | "prompts" | "reports";
/** `extension`: also shown to any user who has an extension (a phone to take calls on). */
export type PageInfo = { id: PageId; label: MessageKey; roles: readonly Role[]; extension?: boolean };

/** The left nav, in order; each page names the roles that see it. */
export const pages: readonly PageInfo[] = [
  { id: "agents", label: "nav.agents", roles: ["admin", "supervisor"] },
  { id: "wallboard", label: "nav.wallboard", roles: ["admin", "supervisor"] },
  { id: "calls", label: "nav.calls", roles: ["admin", "supervisor"] },
  { id: "desktop", label: "nav.desktop", roles: ["agent"], extension: true },
  { id: "quality", label: "nav.quality", roles: ["admin", "supervisor", "qa", "agent"] },
  { id: "recordings", label: "nav.recordings", roles: ["admin", "supervisor", "qa"] },
  { id: "cases", label: "nav.cases", roles: ["admin", "supervisor", "qa", "agent"] },
  { id: "reports", label: "nav.reports", roles: ["admin", "supervisor"] },
  { id: "staffing", label: "nav.staffing", roles: ["admin", "supervisor"] },
  { id: "flows", label: "nav.flows", roles: ["admin", "supervisor"] },
  { id: "prompts", label: "nav.prompts", roles: ["admin", "supervisor"] },
  { id: "admin", label: "nav.admin", roles: ["admin", "supervisor"] },
];

const read = (): string => location.hash.replace(/^#\/?/, "").split("?")[0] ?? "";

export const route = new Store<string>(read());
window.addEventListener("hashchange", () => route.set(read()));

export function navigate(id: PageId): void {
  location.hash = `#/${id}`;
}

type Viewer = Pick<User, "role" | "extension">;

export function pagesFor(user: Viewer): PageInfo[] {
  return pages.filter((page) => page.roles.includes(user.role) || (page.extension === true && user.extension !== ""));
}

/** The page to show: the one in the hash if the user may see it, else their first. */
export function currentPage(user: Viewer, wanted: string): PageId {
  const allowed = pagesFor(user);
  return allowed.find((page) => page.id === wanted)?.id ?? allowed[0]?.id ?? "home";
}
