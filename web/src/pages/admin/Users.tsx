// Administration › Users: who signs in — user name, display name, role, the extension
// they answer calls on — created with a password; changed, disabled or enabled again,
// and given a new password (each ends the user's sessions). A weak password is
// refused at the password field. REST: /api/v1/users.
import { useEffect, useState } from "preact/hooks";
import { api, type Role, type User } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { openRecord, RecordPage, useViewer, type ConsoleRoute } from "../../console/Console";
import { FieldProblem } from "../../console/problems";
import { Field, FormSection, PasswordForm, RecordForm, useSave } from "../../console/RecordForm";
import { RecordList } from "../../console/RecordList";
import { formatDate, formatDateTime } from "../../format";
import { t } from "../../i18n";

const TAB = "users";
const roles: readonly Role[] = ["agent", "supervisor", "qa", "admin"];
const codeFields = {
  weak_password: "password", username_taken: "username", invalid_username: "username",
  invalid_display_name: "display_name", extension_taken: "extension", cannot_demote_self: "role",
};

export function UsersTab({ route }: { route: ConsoleRoute }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [extensions, setExtensions] = useState<string[]>([]);
  const [error, setError] = useState("");
  const viewer = useViewer();
  const admin = viewer.role === "admin";
  const load = () => {
    api<{ items: User[] }>("GET", "/users?limit=1000").then((a) => { setUsers(a.items); setError(""); })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(() => {
    load();
    api<{ items: { extension: string }[] }>("GET", "/extensions").then((a) => setExtensions(a.items.map((e) => e.extension))).catch(() => {});
  }, []);

  if (route.key || route.isNew) {
    const user = users?.find((u) => String(u.id) === route.key) ?? null;
    if (route.key && users && !user) return <p class="form-error" role="alert">{t("console.notFound", { key: route.key })}</p>;
    if (route.key && !user) return null;
    const free = extensions.filter((e) => !users?.some((u) => u.extension === e && u.id !== user?.id));
    return <UserRecord key={route.key || "new"} user={user} admin={admin} self={user?.id === viewer.id} extensions={free}
      onChanged={(saved) => setUsers((list) => list && (list.some((u) => u.id === saved.id)
        ? list.map((u) => (u.id === saved.id ? saved : u)) : [...list, saved]))} />;
  }
  return (
    <RecordList id="user-list" items={users} error={error} keyOf={(u) => String(u.id)}
      text={(u) => `${u.username} ${u.display_name} ${u.extension} ${t(`role.${u.role}`)}`}
      searchLabel={t("users.search")} empty={t("users.empty")} newLabel={t("users.new")}
      onNew={admin ? () => openRecord("admin", TAB, "", true) : undefined} onOpen={(u) => openRecord("admin", TAB, String(u.id))}
      columns={[
        { label: t("users.f.username"), cell: (u) => u.username, class: "col-key" },
        { label: t("users.f.display_name"), cell: (u) => u.display_name },
        { label: t("users.f.role"), cell: (u) => t(`role.${u.role}`) },
        { label: t("users.f.extension"), cell: (u) => u.extension || "—", class: "mono" },
        { label: t("users.status"), cell: (u) => (u.disabled ? <span class="pill state-logged_out">{t("users.disabled")}</span>
          : <span class="pill state-ready">{t("users.active")}</span>) },
        { label: t("users.created"), cell: (u) => (u.created_at ? formatDate(u.created_at) : ""), class: "mono" },
      ]} />
  );
}

function UserRecord({ user, admin, self, extensions, onChanged }: {
  user: User | null; admin: boolean; self: boolean; extensions: string[]; onChanged: (user: User) => void;
}) {
  const [username, setUsername] = useState(user?.username ?? "");
  const [displayName, setDisplayName] = useState(user?.display_name ?? "");
  const [role, setRole] = useState<Role>(user?.role ?? "agent");
  const [extension, setExtension] = useState(user?.extension ?? "");
  const [password, setPassword] = useState("");
  const [version, setVersion] = useState(0);
  const save = useSave(codeFields);
  const changed = (saved: User) => { onChanged(saved); setVersion((v) => v + 1); };

  const submit = () => void save.run(async () => {
    if (!user) {
      if (!username.trim()) throw new FieldProblem("username", "console.problem.required");
      if (!password) throw new FieldProblem("password", "console.problem.required");
      const created = await api<User>("POST", "/users",
        { username: username.trim(), display_name: displayName, role, extension, password });
      changed(created);
      openRecord("admin", TAB, String(created.id));
      return;
    }
    const body: Record<string, unknown> = {};
    if (displayName !== user.display_name) body.display_name = displayName;
    if (role !== user.role) body.role = role;
    if (extension !== user.extension) body.extension = extension;
    if (Object.keys(body).length > 0) changed(await api<User>("PATCH", `/users/${user.id}`, body));
  });
  const setDisabled = (disabled: boolean) => void save.run(async () => {
    changed(await api<User>("PATCH", `/users/${user!.id}`, { disabled }));
  }, disabled ? "users.wasDisabled" : "users.wasEnabled");

  return (
    <RecordPage backLabel={t("admin.tab.users")} onBack={() => openRecord("admin", TAB)}
      title={user ? user.username : t("users.new")}
      subtitle={user && <>{t(`role.${user.role}`)}{user.disabled && <> · <span class="pill state-logged_out">{t("users.disabled")}</span></>}</>}
      aside={user && <>
        <section class="panel" id="user-facts">
          <h2>{t("users.facts")}</h2>
          <dl class="facts">
            <dt>{t("users.created")}</dt><dd>{user.created_at ? formatDateTime(user.created_at) : "—"}</dd>
            <dt>{t("users.updated")}</dt><dd>{user.updated_at ? formatDateTime(user.updated_at) : "—"}</dd>
            <dt>{t("users.f.extension")}</dt>
            <dd>{user.extension ? <a href={`#/admin?tab=agents&key=${encodeURIComponent(user.extension)}`}>{user.extension}</a> : "—"}</dd>
          </dl>
        </section>
        <AuditTrail target={`user:${user.id}`} version={version} fields="users.f" />
      </>}>
      <RecordForm id="user-form" save={save} onSubmit={submit} readOnly={!admin}
        actions={user && !self && (user.disabled
          ? <button type="button" id="user-enable" onClick={() => setDisabled(false)}>{t("users.enable")}</button>
          : <button type="button" class="danger-quiet" id="user-disable" onClick={() => setDisabled(true)}>{t("users.disable")}</button>)}>
        <datalist id="free-extensions">{extensions.map((e) => <option key={e} value={e} />)}</datalist>
        <FormSection title={t("users.s.account")} help={t(user ? "users.sh.account" : "users.sh.new")}>
          <Field name="username" label={t("users.f.username")} help={user ? undefined : t("users.h.username")}>
            <input id="user-username" value={username} readOnly={!!user} autoComplete="off"
              onInput={(e) => setUsername(e.currentTarget.value)} />
          </Field>
          <Field name="display_name" label={t("users.f.display_name")}>
            <input id="user-display_name" value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
          </Field>
          <Field name="role" label={t("users.f.role")} help={t(`users.roleHelp.${role}`)}>
            <select id="user-role" value={role} disabled={self} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {roles.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
            </select>
          </Field>
          <Field name="extension" label={t("users.f.extension")} help={t("users.h.extension")}>
            <input id="user-extension" value={extension} list="free-extensions" inputMode="numeric"
              onInput={(e) => setExtension(e.currentTarget.value)} />
          </Field>
          {!user && (
            <Field name="password" label={t("users.f.password")} help={t("users.h.password")}>
              <input id="user-password" type="password" autoComplete="new-password" value={password}
                onInput={(e) => setPassword(e.currentTarget.value)} />
            </Field>
          )}
        </FormSection>
      </RecordForm>
      {user && admin && (
        <PasswordForm idPrefix="user" codeFields={codeFields} setPassword={async (password) =>
          changed(await api<User>("PATCH", `/users/${user.id}`, { password }))}
          labels={{ title: "users.s.password", help: "users.sh.password", field: "users.f.newPassword",
            fieldHelp: "users.h.password", submit: "users.resetPassword", done: "users.passwordSet" }} />
      )}
    </RecordPage>
  );
}
