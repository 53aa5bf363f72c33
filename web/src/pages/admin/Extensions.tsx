// Administration › Extensions: the phones' SIP accounts — each with its display name,
// whether it is enabled, and the phones registered to it now (where the REGISTER came
// from, the phone's user agent, when the binding ends); created with a password,
// renamed, disabled or enabled again, given a new password (a weak one is refused at
// the field with the reason); exported and imported as CSV with a dry run.
// REST: /api/v1/extensions.
import { useEffect, useState } from "preact/hooks";
import { api, type Extension } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { openRecord, RecordPage, useViewer, type ConsoleRoute } from "../../console/Console";
import { FieldProblem } from "../../console/problems";
import { Field, FormSection, PasswordForm, RecordForm, useSave } from "../../console/RecordForm";
import { RecordList } from "../../console/RecordList";
import { formatDateTime, formatNumber } from "../../format";
import { t } from "../../i18n";
import { useCsvImport } from "./CsvImport";

const TAB = "extensions";
const codeFields = { weak_password: "password", extension_taken: "extension" };

function Registered({ extension }: { extension: Extension }) {
  if (!extension.registered) return <span class="pill state-logged_out">{t("extensions.notRegistered")}</span>;
  return (
    <span class="pill state-ready">
      {extension.registrations.length > 1
        ? t("extensions.registeredMany", { n: formatNumber(extension.registrations.length) })
        : t("extensions.registered")}
    </span>
  );
}

function Enabled({ enabled }: { enabled: boolean }) {
  return enabled ? <span class="pill state-ready">{t("extensions.enabled")}</span>
    : <span class="pill state-not_ready">{t("extensions.disabled")}</span>;
}

export function ExtensionsTab({ route }: { route: ConsoleRoute }) {
  const [items, setItems] = useState<Extension[] | null>(null);
  const [error, setError] = useState("");
  const admin = useViewer().role === "admin";
  const load = () => {
    api<{ items: Extension[] }>("GET", "/extensions").then((a) => { setItems(a.items); setError(""); })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(load, []);
  const csv = useCsvImport("extensions", admin, load);

  if (route.key || route.isNew) {
    const found = items?.find((e) => e.extension === route.key) ?? null;
    if (route.key && items && !found) return <p class="form-error" role="alert">{t("console.notFound", { key: route.key })}</p>;
    if (route.key && !found) return null;
    return <ExtensionRecord key={route.key || "new"} account={found} admin={admin}
      onChanged={(saved) => setItems((list) => list && (list.some((e) => e.extension === saved.extension)
        ? list.map((e) => (e.extension === saved.extension ? saved : e)) : [...list, saved]))} />;
  }
  const first = (e: Extension) => e.registrations[0];
  return (
    <>
      {csv.report}
      <RecordList id="extension-list" items={items} error={error} keyOf={(e) => e.extension}
        text={(e) => `${e.extension} ${e.display_name} ${e.registrations.map((r) => `${r.address} ${r.user_agent}`).join(" ")}`}
        searchLabel={t("extensions.search")} empty={t("extensions.empty")} newLabel={t("extensions.new")}
        onNew={admin ? () => openRecord("admin", TAB, "", true) : undefined}
        onOpen={(e) => openRecord("admin", TAB, e.extension)}
        columns={[
          { label: t("extensions.f.extension"), cell: (e) => e.extension, class: "mono col-key" },
          { label: t("extensions.f.display_name"), cell: (e) => e.display_name || "—" },
          { label: t("extensions.status"), cell: (e) => <Enabled enabled={e.enabled} /> },
          { label: t("extensions.registration"), cell: (e) => <Registered extension={e} /> },
          { label: t("extensions.address"), cell: (e) => first(e)?.address ?? "—", class: "mono" },
          { label: t("extensions.userAgent"), cell: (e) => first(e)?.user_agent || "—", class: "ua-cell" },
          { label: t("extensions.expires"), cell: (e) => (first(e) ? formatDateTime(first(e)!.expires_at) : "—"), class: "mono" },
        ]}>
        {csv.buttons}
      </RecordList>
    </>
  );
}

function ExtensionRecord({ account, admin, onChanged }: {
  account: Extension | null; admin: boolean; onChanged: (account: Extension) => void;
}) {
  const [extension, setExtension] = useState(account?.extension ?? "");
  const [displayName, setDisplayName] = useState(account?.display_name ?? "");
  const [password, setPassword] = useState("");
  const [version, setVersion] = useState(0);
  const save = useSave(codeFields);
  const changed = (saved: Extension) => { onChanged(saved); setVersion((v) => v + 1); };

  const submit = () => void save.run(async () => {
    if (!account) {
      if (!extension.trim()) throw new FieldProblem("extension", "console.problem.required");
      if (!password) throw new FieldProblem("password", "console.problem.required");
      const created = await api<Extension>("POST", "/extensions",
        { extension: extension.trim(), display_name: displayName, password });
      changed(created);
      openRecord("admin", TAB, created.extension);
      return;
    }
    if (displayName !== account.display_name) {
      changed(await api<Extension>("PATCH", `/extensions/${account.extension}`, { display_name: displayName }));
    }
  });
  const setEnabled = (enabled: boolean) => void save.run(async () => {
    changed(await api<Extension>("PATCH", `/extensions/${account!.extension}`, { enabled }));
  }, enabled ? "extensions.wasEnabled" : "extensions.wasDisabled");

  return (
    <RecordPage backLabel={t("admin.tab.extensions")} onBack={() => openRecord("admin", TAB)}
      title={account ? account.extension : t("extensions.new")}
      subtitle={account && <>{account.display_name}{account.display_name && " · "}<Enabled enabled={account.enabled} /></>}
      aside={account && <>
        <section class="panel" id="extension-facts">
          <h2>{t("extensions.phones")} <Registered extension={account} /></h2>
          {account.registrations.length === 0 && <p class="muted small">{t("extensions.noPhones")}</p>}
          {account.registrations.map((r) => (
            <dl class="facts" key={r.contact} data-contact={r.contact}>
              <dt>{t("extensions.address")}</dt><dd class="mono">{r.address}</dd>
              <dt>{t("extensions.contact")}</dt><dd class="mono">{r.contact}</dd>
              <dt>{t("extensions.userAgent")}</dt><dd>{r.user_agent || "—"}</dd>
              <dt>{t("extensions.expires")}</dt><dd class="mono">{formatDateTime(r.expires_at)}</dd>
            </dl>
          ))}
          <dl class="facts">
            <dt>{t("extensions.created")}</dt><dd class="mono">{formatDateTime(account.created_at)}</dd>
          </dl>
        </section>
        <AuditTrail target={`extension:${account.extension}`} version={version} />
      </>}>
      <RecordForm id="extension-form" save={save} onSubmit={submit} readOnly={!admin}
        actions={account && (account.enabled
          ? <button type="button" class="danger-quiet" id="extension-disable" onClick={() => setEnabled(false)}>{t("extensions.disable")}</button>
          : <button type="button" id="extension-enable" onClick={() => setEnabled(true)}>{t("extensions.enable")}</button>)}>
        <FormSection title={t("extensions.s.account")} help={t("extensions.sh.account")}>
          <Field name="extension" label={t("extensions.f.extension")} help={account ? undefined : t("extensions.h.extension")}>
            <input id="extension-extension" value={extension} readOnly={!!account} inputMode="numeric" autoComplete="off"
              onInput={(e) => setExtension(e.currentTarget.value)} />
          </Field>
          <Field name="display_name" label={t("extensions.f.display_name")} help={t("extensions.h.display_name")}>
            <input id="extension-display_name" value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
          </Field>
          {!account && (
            <Field name="password" label={t("extensions.f.password")} help={t("extensions.h.password")}>
              <input id="extension-password" type="password" autoComplete="new-password" value={password}
                onInput={(e) => setPassword(e.currentTarget.value)} />
            </Field>
          )}
        </FormSection>
      </RecordForm>
      {account && admin && (
        <PasswordForm idPrefix="extension" codeFields={codeFields} setPassword={async (password) =>
          changed(await api<Extension>("PATCH", `/extensions/${account.extension}`, { password }))}
          labels={{ title: "extensions.s.password", help: "extensions.sh.password", field: "extensions.f.newPassword",
            fieldHelp: "extensions.h.password", submit: "extensions.resetPassword", done: "extensions.passwordSet" }} />
      )}
    </RecordPage>
  );
}
