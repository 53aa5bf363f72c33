// The recording player of the Recordings and Cases pages: the WAV fetched once with
// the token, its waveform drawn per channel on a <canvas> (customer = left, agent =
// right, as the server records them), click to seek, 1×/1.5×/2×, and which channel
// to hear, through Web Audio (a splitter and a gain per channel and ear).
import { useEffect, useRef, useState } from "preact/hooks";
import { apiFetch, ApiError } from "./api";
import { formatDuration, formatNumber } from "./format";
import { t } from "./i18n";
import { saveFile } from "./ui";

export type Channel = "both" | "customer" | "agent";
const speeds = [1, 1.5, 2] as const;
const channels: readonly Channel[] = ["both", "customer", "agent"];
// Gains from [left→left, left→right, right→left, right→right] for each choice: one
// side heard in both ears, or stereo as recorded.
const routing: Record<Channel, readonly number[]> = {
  both: [1, 0, 0, 1], customer: [1, 1, 0, 0], agent: [0, 0, 1, 1],
};

let sharedContext: AudioContext | null = null;
const audioContext = (): AudioContext => (sharedContext ??= new AudioContext());

type Peaks = { left: Float32Array; right: Float32Array };

/** The loudest sample of each of `columns` slices of each channel. */
function peaksOf(buffer: AudioBuffer, columns: number): Peaks {
  const slice = (data: Float32Array): Float32Array => {
    const out = new Float32Array(columns);
    const step = data.length / columns;
    for (let c = 0; c < columns; c++) {
      let peak = 0;
      for (let i = Math.floor(c * step), end = Math.floor((c + 1) * step); i < end; i++) peak = Math.max(peak, Math.abs(data[i] ?? 0));
      out[c] = peak;
    }
    return out;
  };
  const left = buffer.getChannelData(0);
  return { left: slice(left), right: slice(buffer.numberOfChannels > 1 ? buffer.getChannelData(1) : left) };
}

function draw(canvas: HTMLCanvasElement, peaks: Peaks, played: number, channel: Channel): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext("2d");
  if (!g) return;
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const styles = getComputedStyle(canvas);
  const lane = height / 2;
  const lanes: [Float32Array, boolean][] = [[peaks.left, channel !== "agent"], [peaks.right, channel !== "customer"]];
  lanes.forEach(([data, heard], index) => {
    const middle = lane * index + lane / 2;
    const columns = data.length;
    for (let x = 0; x < columns; x++) {
      const column = (x / columns) * width;
      const h = Math.max(1, (data[x] ?? 0) * (lane / 2 - 2) * 2);
      const done = x / columns < played;
      g.fillStyle = styles.getPropertyValue(done ? "--wave-played" : "--wave").trim() || (done ? "#2f6f9f" : "#b7c4d1");
      g.globalAlpha = heard ? 1 : 0.3;
      g.fillRect(column, middle - h / 2, Math.max(1, width / columns - 0.5), h);
    }
  });
  g.globalAlpha = 1;
  g.fillStyle = styles.getPropertyValue("--line").trim() || "#e1e6eb";
  g.fillRect(0, lane, width, 1);
  g.fillStyle = styles.getPropertyValue("--ink").trim() || "#1f2a36";
  g.fillRect(played * width, 0, 1, height);
}

type Props = {
  /** The recording under /api/v1 (GET, Range). */
  path: string;
  /** Offer a download (the server checks the role again). */
  downloadName?: string;
  /** Says why a recording cannot be played (an ApiError from the fetch). */
  describeError?: (failure: unknown) => string;
};

export function RecordingPlayer({ path, downloadName, describeError }: Props) {
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const gains = useRef<GainNode[]>([]);
  const [url, setUrl] = useState<string | null>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const [channel, setChannel] = useState<Channel>("both");
  const [error, setError] = useState("");
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    let current = true;
    let objectUrl: string | null = null;
    setUrl(null);
    setPeaks(null);
    setTime(0);
    setDuration(0);
    setPlaying(false);
    setError("");
    void (async () => {
      try {
        const bytes = await (await apiFetch(path)).arrayBuffer();
        if (!current) return;
        objectUrl = URL.createObjectURL(new Blob([bytes], { type: "audio/wav" }));
        setUrl(objectUrl);
        const decoded = await audioContext().decodeAudioData(bytes.slice(0));
        if (current) setPeaks(peaksOf(decoded, 400));
      } catch (failure) {
        if (current) setError(describeError ? describeError(failure) : failure instanceof Error ? failure.message : String(failure));
      }
    })();
    return () => {
      current = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [path]);

  // The element's sound goes through the channel routing; made once per element.
  useEffect(() => {
    const element = audio.current;
    if (!element || !url) return;
    const context = audioContext();
    const source = context.createMediaElementSource(element);
    const splitter = context.createChannelSplitter(2);
    const merger = context.createChannelMerger(2);
    source.connect(splitter);
    gains.current = [0, 1, 2, 3].map((i) => {
      const gain = context.createGain();
      splitter.connect(gain, i < 2 ? 0 : 1);
      gain.connect(merger, 0, i % 2);
      return gain;
    });
    merger.connect(context.destination);
    return () => {
      source.disconnect();
      merger.disconnect();
    };
  }, [url]);

  useEffect(() => {
    gains.current.forEach((gain, i) => { gain.gain.value = routing[channel][i] ?? 0; });
  }, [channel, url]);

  useEffect(() => {
    if (audio.current) audio.current.playbackRate = speed;
  }, [speed, url]);

  useEffect(() => {
    if (canvas.current && peaks) draw(canvas.current, peaks, duration > 0 ? time / duration : 0, channel);
  }, [peaks, time, duration, channel]);

  // The played part moves smoothly while playing (timeupdate alone is ~4 per second).
  useEffect(() => {
    if (!playing) return;
    let frame = requestAnimationFrame(function tick() {
      if (audio.current) setTime(audio.current.currentTime);
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing]);

  const toggle = async () => {
    const element = audio.current;
    if (!element) return;
    if (element.paused) {
      await audioContext().resume();
      await element.play();
    } else {
      element.pause();
    }
  };
  const seek = (event: MouseEvent) => {
    const element = audio.current;
    const target = event.currentTarget as HTMLCanvasElement;
    if (!element || !duration) return;
    const at = ((event.clientX - target.getBoundingClientRect().left) / target.clientWidth) * duration;
    element.currentTime = Math.min(duration, Math.max(0, at));
    setTime(element.currentTime);
  };
  // The waveform takes the keyboard too: arrows jump 5 s, space plays or pauses.
  const keys = (event: KeyboardEvent) => {
    const element = audio.current;
    if (!element || !duration) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      element.currentTime = Math.min(duration, Math.max(0, element.currentTime + (event.key === "ArrowLeft" ? -5 : 5)));
      setTime(element.currentTime);
    } else if (event.key === " ") {
      void toggle();
    } else {
      return;
    }
    event.preventDefault();
  };
  const download = async () => {
    setDownloading(true);
    try {
      saveFile(await (await apiFetch(`${path}?download=1`)).blob(), downloadName ?? "recording.wav");
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div class="rec-player" id="rec-player" data-playing={playing ? "true" : "false"} data-ready={url && peaks ? "true" : "false"}>
      {error && <p class="form-error" role="alert" id="player-error">{error}</p>}
      {!error && (
        <>
          <div class="wave-box">
            <canvas ref={canvas} class="waveform" id="waveform" onClick={seek} onKeyDown={keys} tabIndex={0}
              title={t("player.seek")} aria-label={t("player.seek")}
              data-drawn={peaks ? "true" : "false"} />
            <div class="wave-labels" aria-hidden="true">
              <span class={channel === "agent" ? "muted" : ""}>{t("player.customer")}</span>
              <span class={channel === "customer" ? "muted" : ""}>{t("player.agent")}</span>
            </div>
          </div>
          {!peaks && <div class="wave-loading muted">{t("player.loading")}</div>}
        </>
      )}
      {url && (
        <audio ref={audio} src={url} preload="auto" id="player-audio"
          onLoadedMetadata={(e) => setDuration(e.currentTarget.duration)}
          onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
          onPlay={() => setPlaying(true)} onPause={() => setPlaying(false)} onEnded={() => setPlaying(false)} />
      )}
      <div class="player-controls">
        <button type="button" class="primary" id="player-toggle" disabled={!url} onClick={() => void toggle()}>
          {playing ? t("player.pause") : t("player.play")}
        </button>
        <span class="mono player-time" id="player-time">{formatDuration(time)} / {formatDuration(duration)}</span>
        <span class="segmented" role="group" aria-label={t("player.speed")} id="player-speed">
          {speeds.map((s) => (
            <button type="button" key={s} class={speed === s ? "on" : ""} data-speed={s} aria-pressed={speed === s}
              onClick={() => setSpeed(s)}>{t("player.speedValue", { n: formatNumber(s) })}</button>
          ))}
        </span>
        <label class="player-channel">
          <span>{t("player.channel")}</span>
          <select id="player-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value as Channel)}>
            {channels.map((c) => <option key={c} value={c}>{t(`player.channel.${c}`)}</option>)}
          </select>
        </label>
        {downloadName && (
          <button type="button" id="player-download" disabled={!url || downloading} onClick={() => void download()}>
            {t("player.download")}
          </button>
        )}
      </div>
    </div>
  );
}

/** A recording's refusal in words: deleted by the retention (with its date), gone, not allowed. */
export function recordingError(failure: unknown): string {
  if (failure instanceof ApiError) {
    if (failure.code === "recording_deleted") return t("recordings.deletedError");
    if (failure.code === "not_found") return t("recordings.gone");
    if (failure.code === "forbidden") return t("error.forbidden");
    return failure.message;
  }
  return String(failure);
}
