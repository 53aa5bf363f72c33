import type { User } from "./api";
import { t } from "./i18n";
import { AdminPage } from "./pages/Admin";
import { AgentsPage } from "./pages/Agents";
import { CallsPage } from "./pages/Calls";
import { CasesPage } from "./pages/Cases";
import { DesktopPage } from "./pages/Desktop";
import { FlowsPage } from "./pages/Flows";
import { PromptsPage } from "./pages/Prompts";
import { WallboardPage } from "./pages/Wallboard";
import { HomePage } from "./pages/Home";
import { QualityPage } from "./pages/Quality";
import { RecordingsPage } from "./pages/Recordings";
import { ReportsPage } from "./pages/Reports";
import { StaffingPage } from "./pages/Staffing";
import { currentPage, navigate, pagesFor, route } from "./router";
import { signOut } from "./session";
import { useStore } from "./store";
import { ConnectionIndicator, LangSwitch } from "./ui";

export function Shell({ user }: { user: User }) {
  const wanted = useStore(route);
  const page = currentPage(user, wanted);
  const nav = pagesFor(user);
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">unicc</span>
        <span class="topbar-gap" />
        <ConnectionIndicator />
        <LangSwitch />
        <span class="user" id="user">
          <span class="user-name">{user.display_name || user.username}</span>
          {user.extension && (
            <span class="user-extension" id="extension" title={t("shell.extension")}>{user.extension}</span>
          )}
          <span class="role-badge" id="role">{t(`role.${user.role}`)}</span>
        </span>
        <button type="button" class="quiet" id="logout" onClick={() => void signOut()}>{t("shell.signOut")}</button>
      </header>
      <nav class="sidenav" aria-label={t("shell.nav")}>
        {nav.length === 0 && <a class="active" href="#/home">{t("nav.home")}</a>}
        {nav.map((item) => (
          <a key={item.id} href={`#/${item.id}`} id={`nav-${item.id}`} class={item.id === page ? "active" : ""}
            aria-current={item.id === page ? "page" : undefined}
            onClick={(e) => { e.preventDefault(); navigate(item.id); }}>
            {t(item.label)}
          </a>
        ))}
      </nav>
      <main class="content">
        {page === "wallboard" && <WallboardPage user={user} />}
        {page === "agents" && <AgentsPage />}
        {page === "calls" && <CallsPage />}
        {page === "desktop" && <DesktopPage user={user} />}
        {page === "quality" && <QualityPage user={user} />}
        {page === "recordings" && <RecordingsPage user={user} />}
        {page === "cases" && <CasesPage user={user} />}
        {page === "reports" && <ReportsPage />}
        {page === "staffing" && <StaffingPage />}
        {page === "flows" && <FlowsPage />}
        {page === "prompts" && <PromptsPage user={user} />}
        {page === "admin" && <AdminPage />}
        {page === "home" && <HomePage user={user} />}
      </main>
    </div>
  );
}
