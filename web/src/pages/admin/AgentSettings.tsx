// Administration › Agents: who takes queue calls — an extension with a name, skills
// with levels 1–10, groups, newly trained, auto answer — beside the agent's state
// now, the queues they serve now, the users on that extension and the audit trail.
// The live list is the supervisors' Agents page; this tab configures them.
// REST: /api/v1/agents/{extension} (PUT creates or replaces).
import { useEffect, useState } from "preact/hooks";
import { api, type Agent, type AgentConfig, type Skill, type User } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { listOf, openRecord, RecordPage, useViewer, type ConsoleRoute } from "../../console/Console";
import { FieldProblem } from "../../console/problems";
import { DeleteButton, Field, FormSection, RecordForm, useSave } from "../../console/RecordForm";
import { RecordList } from "../../console/RecordList";
import { events } from "../../events";
import { formatDateTime, formatNumber } from "../../format";
import { t } from "../../i18n";
import { AgentStatePill, useDebounced } from "../../ui";
import { typedNumber } from "../../console/Console";
import { useCsvImport } from "./CsvImport";
import { SkillRows } from "./Queues";

const TAB = "agents";
type Draft = { extension: string; name: string; skills: { skill: string; level: string }[]; groups: string;
  newly_trained: boolean; auto_answer: boolean };

export function AgentSettingsTab({ route }: { route: ConsoleRoute }) {
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [skills, setSkills] = useState<Skill[]>([]);
  const [extensions, setExtensions] = useState<string[]>([]);
  const [error, setError] = useState("");
  const admin = useViewer().role === "admin";
  const load = () => {
    api<{ items: Agent[] }>("GET", "/agents").then((a) => {
      setAgents(a.items);
      setError("");
    }).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const reload = useDebounced(load, 500);
  const csv = useCsvImport("agents", admin, load);
  useEffect(() => {
    load();
    api<{ items: Skill[] }>("GET", "/skills").then((a) => setSkills(a.items)).catch(() => {});
    api<{ items: { extension: string }[] }>("GET", "/extensions").then((a) => setExtensions(a.items.map((e) => e.extension))).catch(() => {});
    const stops = [events.on("hello", load), events.on("agent", reload), events.on("agent_config", reload)];
    return () => stops.forEach((stop) => stop());
  }, []);

  if (route.key || route.isNew) {
    return <AgentRecord key={route.key || "new"} extension={route.key} skills={skills} admin={admin} onChanged={load}
      taken={agents?.map((a) => a.extension) ?? []} extensions={extensions} />;
  }
  return (
    <>
      {csv.report}
      <RecordList id="agent-list" items={agents} error={error} keyOf={(a) => a.extension}
        text={(a) => `${a.extension} ${a.name} ${a.queues.join(" ")} ${a.skills?.map((k) => k.skill).join(" ") ?? ""} ${a.groups?.join(" ") ?? ""}`}
        searchLabel={t("agentsConfig.search")} empty={t("agentsConfig.empty")} newLabel={t("agentsConfig.new")}
        onNew={admin ? () => openRecord("admin", TAB, "", true) : undefined} onOpen={(a) => openRecord("admin", TAB, a.extension)}
        columns={[
          { label: t("agentsConfig.f.extension"), cell: (a) => a.extension, class: "mono col-key" },
          { label: t("agentsConfig.f.name"), cell: (a) => a.name },
          { label: t("agentsConfig.state"), cell: (a) => <AgentStatePill state={a.state} />, class: "col-state" },
          { label: t("agentsConfig.f.skills"), cell: (a) => a.skills?.map((s) => (
            <span key={s.skill} class="tag">{s.skill} {formatNumber(s.level)}</span>)) },
          { label: t("agentsConfig.f.groups"), cell: (a) => a.groups?.join(", ") },
          { label: t("agentsConfig.queuesNow"), cell: (a) => a.queues.map((q) => <span key={q} class="tag">{q}</span>) },
        ]}>
        {csv.buttons}
      </RecordList>
    </>
  );
}

function draftOf(agent: AgentConfig | null): Draft {
  return {
    extension: agent?.extension ?? "", name: agent?.name ?? "",
    skills: (agent?.skills ?? []).map((s) => ({ skill: s.skill, level: String(s.level) })),
    groups: (agent?.groups ?? []).join(", "), newly_trained: agent?.newly_trained ?? false, auto_answer: agent?.auto_answer ?? false,
  };
}

function AgentRecord({ extension, skills, admin, onChanged, taken, extensions }: {
  extension: string; skills: Skill[]; admin: boolean; onChanged: () => void; taken: string[]; extensions: string[];
}) {
  const [agent, setAgent] = useState<AgentConfig | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [loadError, setLoadError] = useState("");
  const [draft, setDraft] = useState<Draft>(() => draftOf(null));
  const [version, setVersion] = useState(0);
  const save = useSave({ invalid_parameter: "extension" });
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  useEffect(() => {
    if (!extension) return;
    api<AgentConfig>("GET", `/agents/${encodeURIComponent(extension)}`)
      .then((a) => { setAgent(a); setDraft(draftOf(a)); })
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
    api<{ items: User[] }>("GET", "/users?limit=1000").then((a) => setUsers(a.items.filter((u) => u.extension === extension)))
      .catch(() => {});
  }, [extension]);
  if (loadError) return <p class="form-error" role="alert">{t("console.notFound", { key: extension })}</p>;
  if (extension && !agent) return null;

  const submit = () => void save.run(async () => {
    const key = draft.extension.trim();
    if (!key) throw new FieldProblem("extension", "console.problem.required");
    if (!agent && taken.includes(key)) throw new FieldProblem("extension", "console.taken", { key });
    const saved = await api<AgentConfig>("PUT", `/agents/${encodeURIComponent(key)}`, {
      name: draft.name, groups: listOf(draft.groups), newly_trained: draft.newly_trained, auto_answer: draft.auto_answer,
      skills: draft.skills.map((s) => ({ skill: s.skill, level: typedNumber(s.level) ?? 1 })),
    });
    setAgent(saved);
    onChanged();
    setVersion((v) => v + 1);
    if (!agent) openRecord("admin", TAB, saved.extension);
  });
  const remove = () => void save.run(async () => {
    await api("DELETE", `/agents/${encodeURIComponent(agent!.extension)}`);
    onChanged();
    openRecord("admin", TAB);
  }, "console.deleted");

  return (
    <RecordPage backLabel={t("admin.tab.agents")} onBack={() => openRecord("admin", TAB)}
      title={agent ? `${agent.extension} ${agent.name}` : t("agentsConfig.new")}
      aside={agent && <>
        <section class="panel" id="agent-now">
          <h2>{t("agentsConfig.now")}</h2>
          <p class="agent-now-state">
            {agent.state && <AgentStatePill state={agent.state} />}
            {agent.reason && <span class="muted small"> {agent.reason}</span>}
            {agent.since ? <span class="muted small"> {t("agentsConfig.since", { time: formatDateTime(agent.since) })}</span> : null}
          </p>
          <h3>{t("agentsConfig.queuesNow")}</h3>
          {(agent.queues ?? []).length === 0 ? <p class="muted small">{t("agentsConfig.noQueues")}</p> : (
            <p id="agent-queues">{(agent.queues ?? []).map((q) => (
              <a key={q} class="tag" href={`#/admin?tab=queues&key=${encodeURIComponent(q)}`}>{q}</a>))}</p>
          )}
          <h3>{t("agentsConfig.users")}</h3>
          {users.length === 0 ? <p class="muted small">{t("agentsConfig.noUser")}</p> : (
            <ul class="plain-list">{users.map((u) => (
              <li key={u.id}><a href={`#/admin?tab=users&key=${u.id}`}>{u.username}</a>
                <span class="muted small">{u.display_name}</span></li>))}</ul>
          )}
        </section>
        <AuditTrail target={`agent:${agent.extension}`} version={version} fields="agentsConfig.f" />
      </>}>
      <RecordForm id="agent-form" save={save} onSubmit={submit} readOnly={!admin}
        actions={agent && <DeleteButton id="agent-delete" question={t("agentsConfig.deleteQuestion", { ext: agent.extension })} onDelete={remove} />}>
        <datalist id="extension-names">{extensions.filter((e) => !taken.includes(e)).map((e) => <option key={e} value={e} />)}</datalist>
        <FormSection title={t("agentsConfig.s.agent")} help={t("agentsConfig.sh.agent")}>
          <Field name="extension" label={t("agentsConfig.f.extension")} help={agent ? undefined : t("agentsConfig.h.extension")}>
            <input id="agent-extension" value={draft.extension} readOnly={!!agent} list="extension-names" inputMode="numeric"
              onInput={(e) => set({ extension: e.currentTarget.value })} />
          </Field>
          <Field name="name" label={t("agentsConfig.f.name")}>
            <input id="agent-name" value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />
          </Field>
          <Field name="groups" label={t("agentsConfig.f.groups")} help={t("agentsConfig.h.groups")}>
            <input id="agent-groups" value={draft.groups} onInput={(e) => set({ groups: e.currentTarget.value })} />
          </Field>
          <Field name="skills" label={t("agentsConfig.f.skills")} help={t("agentsConfig.h.skills", { n: formatNumber(10) })} wide group>
            <SkillRows rows={draft.skills} skills={skills} levelField="level" onChange={(rows) => set({ skills: rows })} />
          </Field>
          <Field name="newly_trained" label={t("agentsConfig.f.newly_trained")} help={t("agentsConfig.h.newly_trained")} check>
            <input type="checkbox" id="agent-newly_trained" checked={draft.newly_trained}
              onChange={(e) => set({ newly_trained: e.currentTarget.checked })} />
          </Field>
          <Field name="auto_answer" label={t("agentsConfig.f.auto_answer")} help={t("agentsConfig.h.auto_answer")} check>
            <input type="checkbox" id="agent-auto_answer" checked={draft.auto_answer}
              onChange={(e) => set({ auto_answer: e.currentTarget.checked })} />
          </Field>
        </FormSection>
      </RecordForm>
    </RecordPage>
  );
}
