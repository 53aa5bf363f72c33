// "Administration": the console's tabs over the REST API (docs/web.md, The console).
// Admins change; supervisors read what the API lets them read. A tab is one line in
// `tabs`: its id (in the hash, #/admin?tab=skills), label, the roles that see it and
// its component, which gets the route (the open record's key, or a new one).
import type { ComponentType } from "preact";
import type { Role } from "../api";
import { consoleRoute, Tabs, useViewer, type ConsoleRoute } from "../console/Console";
import { t, lang, type MessageKey } from "../i18n";
import { useStore } from "../store";
import { AgentSettingsTab } from "./admin/AgentSettings";
import { CalendarsTab } from "./admin/Calendars";
import { CodesTab } from "./admin/Codes";
import { ExtensionsTab } from "./admin/Extensions";
import { HealthTab } from "./admin/Health";
import { NumbersTab } from "./admin/Numbers";
import { QueuesTab } from "./admin/Queues";
import { SettingsTab } from "./admin/Settings";
import { SkillsTab } from "./admin/Skills";
import { TrunksTab } from "./admin/Trunks";
import { UsersTab } from "./admin/Users";

type AdminTab = { id: string; label: MessageKey; roles: readonly Role[]; Component: ComponentType<{ route: ConsoleRoute }> };

const tabs: readonly AdminTab[] = [
  { id: "users", label: "admin.tab.users", roles: ["admin", "supervisor"], Component: UsersTab },
  { id: "agents", label: "admin.tab.agents", roles: ["admin", "supervisor"], Component: AgentSettingsTab },
  { id: "queues", label: "admin.tab.queues", roles: ["admin", "supervisor"], Component: QueuesTab },
  { id: "skills", label: "admin.tab.skills", roles: ["admin", "supervisor"], Component: SkillsTab },
  { id: "calendars", label: "admin.tab.calendars", roles: ["admin", "supervisor"], Component: CalendarsTab },
  { id: "extensions", label: "admin.tab.extensions", roles: ["admin", "supervisor"], Component: ExtensionsTab },
  { id: "trunks", label: "admin.tab.trunks", roles: ["admin", "supervisor"], Component: TrunksTab },
  { id: "numbers", label: "admin.tab.numbers", roles: ["admin", "supervisor"], Component: NumbersTab },
  { id: "health", label: "admin.tab.health", roles: ["admin", "supervisor"], Component: HealthTab },
  { id: "codes", label: "admin.tab.codes", roles: ["admin", "supervisor"], Component: CodesTab },
  { id: "settings", label: "admin.tab.settings", roles: ["admin"], Component: SettingsTab },
];

export function AdminPage() {
  const user = useViewer();
  const route = useStore(consoleRoute);
  useStore(lang);
  const mine = tabs.filter((tab) => tab.roles.includes(user.role));
  const current = mine.find((tab) => tab.id === route.tab) ?? mine[0];
  return (
    <section class="page admin-page">
      <div class="page-head"><h1>{t("admin.title")}</h1>
        {user.role !== "admin" && <span class="muted small">{t("console.readOnlyPage")}</span>}</div>
      <Tabs page="admin" current={current?.id ?? ""} tabs={mine.map((tab) => ({ id: tab.id, label: t(tab.label) }))} />
      {current && <current.Component key={current.id} route={current.id === route.tab ? route : { ...route, key: "", isNew: false }} />}
    </section>
  );
}
