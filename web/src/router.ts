// Pages live behind the hash (#/agents), so unicc serves one index.html for all.
import type { Role } from "./api";
import type { MessageKey } from "./i18n";
import { Store } from "./store";

export type PageId = "home" | "agents" | "calls";
export type PageInfo = { id: PageId; label: MessageKey; roles: readonly Role[] };

/** The left nav, in order; each page names the roles that see it. */
export const pages: readonly PageInfo[] = [
  { id: "agents", label: "nav.agents", roles: ["admin", "supervisor"] },
  { id: "calls", label: "nav.calls", roles: ["admin", "supervisor"] },
];

const read = (): string => location.hash.replace(/^#\/?/, "").split("?")[0] ?? "";

export const route = new Store<string>(read());
window.addEventListener("hashchange", () => route.set(read()));

export function navigate(id: PageId): void {
  location.hash = `#/${id}`;
}

export function pagesFor(role: Role): PageInfo[] {
  return pages.filter((page) => page.roles.includes(role));
}

/** The page to show: the one in the hash if the role may see it, else its first. */
export function currentPage(role: Role, wanted: string): PageId {
  const allowed = pagesFor(role);
  return allowed.find((page) => page.id === wanted)?.id ?? allowed[0]?.id ?? "home";
}
