// A queue's music on hold picked from the prompt library (GET /api/v1/prompts: the
// uploads, then the shipped sounds), with ▶ to hear it here first. The queue keeps the
// file's name ("hold.wav"), as calls look it up; one no longer in the library stays
// listed as missing rather than silently replaced.
import { useEffect } from "preact/hooks";
import { useReadOnly } from "../../console/RecordForm";
import { formatMs } from "../../format";
import { t } from "../../i18n";
import { AudioOut, ensurePrompts, promptAudio, promptLibrary, promptOfFile, useAudio } from "../../prompts";
import { useStore } from "../../store";

export function MusicPicker({ id, value, onChange }: { id: string; value: string; onChange: (file: string) => void }) {
  const library = useStore(promptLibrary);
  useEffect(ensurePrompts, []);
  const audio = useAudio();
  const readOnly = useReadOnly();
  const known = promptOfFile(library, value);
  return (
    <span class="music-picker">
      <select id={id} value={value} disabled={readOnly} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t("queues.music.ringback")}</option>
        {value && !known && <option value={value}>{t("queues.music.missing", { file: value })}</option>}
        {(library ?? []).map((p) => (
          <option key={p.file} value={p.file}>{`${p.name} · ${formatMs(p.duration_ms)}${p.source === "shipped" ? ` · ${t("queues.music.shipped")}` : ""}`}</option>
        ))}
      </select>
      <button type="button" class="small quiet prompt-play" id={`${id}-play`} disabled={!known || audio.busy === "music"}
        title={known ? t("flows.playFile", { file: known.file }) : undefined} aria-label={t("flows.playFile", { file: value || "—" })}
        onClick={(e) => { e.preventDefault(); if (known) void audio.play("music", known.file, promptAudio(known)); }}>▶</button>
      <AudioOut audio={audio} id={`${id}-player`} />
    </span>
  );
}
