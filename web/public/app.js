// Sign-in page for the foundation; the agent desktop and wallboard replace it
// when the web UI proper lands. Talks only to the REST API under /api/v1.
"use strict";

const strings = {
  en: {
    signIn: "Sign in to unicc", username: "User name", password: "Password", signInButton: "Sign in",
    welcome: "Welcome,", role: "Role", users: "Users", displayName: "Display name", signOut: "Sign out",
    badLogin: "Wrong user name or password.", throttled: "Too many failed attempts. Try again in {s} s.",
    unreachable: "The server cannot be reached.", switchTo: "中文",
  },
  "zh-CN": {
    signIn: "登录 unicc", username: "用户名", password: "密码", signInButton: "登录",
    welcome: "欢迎，", role: "角色", users: "用户", displayName: "显示名称", signOut: "退出登录",
    badLogin: "用户名或密码错误。", throttled: "失败次数过多，请 {s} 秒后再试。",
    unreachable: "无法连接服务器。", switchTo: "English",
  },
};

let lang = localStorage.getItem("unicc.lang") || (navigator.language.startsWith("zh") ? "zh-CN" : "en");
let token = sessionStorage.getItem("unicc.token");

const $ = (id) => document.getElementById(id);
const t = (key) => strings[lang][key];

function render() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("lang").textContent = t("switchTo");
}

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch("/api/v1" + path, { method, headers, body: body && JSON.stringify(body) });
  const data = response.status === 204 ? {} : await response.json();
  return { status: response.status, data, retryAfter: response.headers.get("Retry-After") };
}

async function showHome() {
  const me = await api("GET", "/me");
  if (me.status !== 200) { token = null; sessionStorage.removeItem("unicc.token"); return showLogin(); }
  $("login").hidden = true;
  $("home").hidden = false;
  $("who").textContent = me.data.display_name || me.data.username;
  $("role").textContent = me.data.role;
  const users = await api("GET", "/users");
  $("users").hidden = users.status !== 200;
  if (users.status === 200) {
    const rows = users.data.items.map((u) => {
      const tr = document.createElement("tr");
      for (const value of [u.username, u.display_name, u.role]) {
        const td = document.createElement("td");
        td.textContent = value;
        tr.appendChild(td);
      }
      return tr;
    });
    $("users").querySelector("tbody").replaceChildren(...rows);
  }
}

function showLogin() {
  $("home").hidden = true;
  $("login").hidden = false;
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    const result = await api("POST", "/login", { username: $("username").value, password: $("password").value });
    if (result.status === 200) {
      token = result.data.token;
      sessionStorage.setItem("unicc.token", token);
      return showHome();
    }
    $("login-error").textContent = result.status === 429 ? t("throttled").replace("{s}", result.retryAfter) : t("badLogin");
  } catch (error) {
    $("login-error").textContent = t("unreachable");
  }
});

$("logout").addEventListener("click", async () => {
  await api("POST", "/logout");
  token = null;
  sessionStorage.removeItem("unicc.token");
  showLogin();
});

$("lang").addEventListener("click", () => {
  lang = lang === "en" ? "zh-CN" : "en";
  localStorage.setItem("unicc.lang", lang);
  render();
});

render();
fetch("/api/v1/health").then((r) => r.json()).then((h) => { $("version").textContent = "v" + h.version; }).catch(() => {});
if (token) showHome(); else showLogin();
