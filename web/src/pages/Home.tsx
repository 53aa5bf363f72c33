import type { User } from "../api";
import { t } from "../i18n";

/** For roles whose pages have not landed yet (agents' desktop, QA). */
export function HomePage({ user }: { user: User }) {
  return (
    <section class="page">
      <h1>{t("home.title", { name: user.display_name || user.username })}</h1>
      <p class="muted">{t("home.noPages", { role: t(`role.${user.role}`) })}</p>
    </section>
  );
}
