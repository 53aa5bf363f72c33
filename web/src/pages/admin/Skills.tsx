// Administration › Skills: the list (with the queues that need each), a skill's
// description, delete (409 in_use names who has it). REST: /api/v1/skills.
import { useEffect, useState } from "preact/hooks";
import { api, type QueueConfig, type Skill } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { openRecord, RecordPage, useViewer, type ConsoleRoute } from "../../console/Console";
import { FieldProblem } from "../../console/problems";
import { DeleteButton, Field, FormSection, RecordForm, useSave } from "../../console/RecordForm";
import { RecordList } from "../../console/RecordList";
import { events } from "../../events";
import { t } from "../../i18n";

const TAB = "skills";

export function SkillsTab({ route }: { route: ConsoleRoute }) {
  const [skills, setSkills] = useState<Skill[] | null>(null);
  const [queues, setQueues] = useState<QueueConfig[]>([]);
  const [error, setError] = useState("");
  const admin = useViewer().role === "admin";
  const load = () => {
    api<{ items: Skill[] }>("GET", "/skills").then((a) => { setSkills(a.items); setError(""); })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    api<{ items: QueueConfig[] }>("GET", "/queues").then((a) => setQueues(a.items)).catch(() => {});
  };
  useEffect(() => {
    load();
    const stops = [events.on("skill", load), events.on("queue", load), events.on("hello", load)];
    return () => stops.forEach((stop) => stop());
  }, []);
  const neededBy = (name: string) => queues.filter((q) => q.skills.some((s) => s.skill === name)).map((q) => q.name);

  if (route.key || route.isNew) {
    const skill = skills?.find((s) => s.name === route.key) ?? null;
    if (route.key && skills && !skill) return <p class="form-error" role="alert">{t("console.notFound", { key: route.key })}</p>;
    if (route.key && !skill) return null;
    return <SkillRecord key={route.key || "new"} skill={skill} taken={skills?.map((s) => s.name) ?? []}
      neededBy={skill ? neededBy(skill.name) : []} admin={admin} onChanged={load} />;
  }
  return (
    <RecordList id="skill-list" items={skills} error={error} keyOf={(s) => s.name} text={(s) => `${s.name} ${s.description}`}
      searchLabel={t("skills.search")} empty={t("skills.empty")} newLabel={t("skills.new")}
      onNew={admin ? () => openRecord("admin", TAB, "", true) : undefined}
      onOpen={(s) => openRecord("admin", TAB, s.name)}
      columns={[
        { label: t("skills.col.name"), cell: (s) => s.name, class: "mono col-key" },
        { label: t("skills.col.description"), cell: (s) => s.description },
        { label: t("skills.col.queues"), cell: (s) => neededBy(s.name).map((q) => <span key={q} class="tag">{q}</span>) },
      ]} />
  );
}

function SkillRecord({ skill, taken, neededBy, admin, onChanged }: {
  skill: Skill | null; taken: string[]; neededBy: string[]; admin: boolean; onChanged: () => void;
}) {
  const [name, setName] = useState(skill?.name ?? "");
  const [description, setDescription] = useState(skill?.description ?? "");
  const [version, setVersion] = useState(0);
  const save = useSave({ invalid_parameter: "name" });
  const submit = () => void save.run(async () => {
    const key = name.trim();
    if (!key) throw new FieldProblem("name", "console.problem.required");
    if (!skill && taken.includes(key)) throw new FieldProblem("name", "console.taken", { key });
    const saved = await api<Skill>("PUT", `/skills/${encodeURIComponent(key)}`, { description });
    onChanged();
    setVersion((v) => v + 1);
    if (!skill) openRecord("admin", TAB, saved.name);
  });
  const remove = () => void save.run(async () => {
    await api("DELETE", `/skills/${encodeURIComponent(skill!.name)}`);
    onChanged();
    openRecord("admin", TAB);
  }, "console.deleted");
  return (
    <RecordPage backLabel={t("admin.tab.skills")} onBack={() => openRecord("admin", TAB)}
      title={skill ? skill.name : t("skills.new")}
      aside={skill && <>
        <section class="panel facts-panel">
          <h2>{t("skills.col.queues")}</h2>
          {neededBy.length ? neededBy.map((q) => <a key={q} class="tag" href={`#/admin?tab=queues&key=${encodeURIComponent(q)}`}>{q}</a>)
            : <span class="muted small">{t("skills.noQueue")}</span>}
        </section>
        <AuditTrail target={`skill:${skill.name}`} version={version} fields="skills.col" />
      </>}>
      <RecordForm id="skill-form" save={save} onSubmit={submit} readOnly={!admin}
        actions={skill && <DeleteButton id="skill-delete" question={t("skills.deleteQuestion", { name: skill.name })} onDelete={remove} />}>
        <FormSection title={t("skills.section")} help={t("skills.sectionHelp")}>
          <Field name="name" label={t("skills.col.name")} help={skill ? undefined : t("console.help.key")}>
            <input id="skill-name" value={name} readOnly={!!skill} required onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field name="description" label={t("skills.col.description")} wide>
            <input id="skill-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </Field>
        </FormSection>
      </RecordForm>
    </RecordPage>
  );
}
