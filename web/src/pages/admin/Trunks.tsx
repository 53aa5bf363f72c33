// "Trunks": the carriers' trunks of the configuration (read-only: they are set in the
// configuration file) with the state of their registration, from GET /trunks, asked
// again every few seconds.
import { api, type Trunk } from "../../api";
import { formatDateTime } from "../../format";
import { t, tCode } from "../../i18n";
import { Empty } from "../../ui";
import { usePolling } from "./polling";

const refreshMs = 5000;

const time = (ms: number | null): string => (ms ? formatDateTime(ms) : "—");

export function TrunksTab() {
  const polled = usePolling(() => api<{ items: Trunk[] }>("GET", "/trunks"), refreshMs);
  const trunks = polled.value?.items ?? null;
  const error = polled.error ? t("trunks.loadFailed", { message: polled.error }) : "";

  return (
    <div class="panel">
      <p class="muted small trunks-note">{t("trunks.readOnly")}</p>
      {error && <p class="form-error" role="alert">{error}</p>}
      {trunks && trunks.length === 0 && <Empty>{t("trunks.none")}</Empty>}
      {trunks && trunks.length > 0 && (
        <table class="grid" id="trunks">
          <thead>
            <tr>
              <th>{t("trunks.col.name")}</th>
              <th>{t("trunks.col.address")}</th>
              <th>{t("trunks.col.prefix")}</th>
              <th>{t("trunks.col.registration")}</th>
              <th>{t("trunks.col.user")}</th>
              <th class="num">{t("trunks.col.lastCode")}</th>
              <th>{t("trunks.col.lastResponse")}</th>
              <th>{t("trunks.col.expires")}</th>
              <th>{t("trunks.col.nextAttempt")}</th>
            </tr>
          </thead>
          <tbody>
            {trunks.map((trunk) => {
              const registration = trunk.registration;
              return (
                <tr key={trunk.name} data-trunk={trunk.name} data-state={registration?.state ?? "none"}>
                  <td>{trunk.name}</td>
                  <td class="mono">{`${trunk.transport.toUpperCase()} ${trunk.address}:${trunk.port}`}</td>
                  <td class="mono">{trunk.outbound_prefix || "—"}</td>
                  <td>{registration
                    ? <span class={`pill trunk-${registration.state}`}>{tCode("trunks.state", registration.state)}</span>
                    : <span class="muted">{t("trunks.noRegistration")}</span>}</td>
                  <td class="mono">{registration?.user || "—"}</td>
                  <td class="num mono">{registration?.last_code ?? "—"}</td>
                  <td class="mono">{time(registration?.last_response_at ?? null)}</td>
                  <td class="mono">{time(registration?.expires_at ?? null)}</td>
                  <td class="mono">{time(registration?.next_attempt_at ?? null)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
