import { lang } from "./i18n";
import { Login } from "./Login";
import { session } from "./session";
import { Shell } from "./Shell";
import { useStore } from "./store";

export function App() {
  useStore(lang); // a language switch re-renders everything
  const current = useStore(session);
  if (current.state === "checking") return <div class="splash" />;
  if (current.state === "signed_out") return <Login notice={current.notice} />;
  return <Shell user={current.user} />;
}
