// Harbor's chat page: a socket.io client for Harbor's socket channel on the Rasa server.
import { cardKind } from "./links.js";
import { imageSource } from "./media.js";
import * as render from "./render.js";
import { countryFromPayload, countryFromText, isSos, sosMessage } from "./sos.js";
import { clearAll, forgetDevice, keepOnDevice, load, save } from "./store.js";

const SOCKET_CLIENT = "/vendor/socket.io.min.js";
const config = Object.assign(
  {
    socketUrl: "http://127.0.0.1:5005",
    socketPath: "/socket.io",
    maxChars: 4000,
    exitUrl: "https://www.wikipedia.org",
    retentionDays: 90,
  },
  window.HARBOR_CONFIG || {},
);
const REPLY_WAIT_MS = 20000;
// Bot messages closer together than this belong to one answer (their buttons stay together).
const BURST_MS = 2000;
// Two presses of Escape within this time are a Quick exit.
const ESCAPE_TWICE_MS = 1500;
// After this long without a new bot message, the first answer is followed by the offer to
// keep the chat on this device.
const OFFER_DELAY_MS = 1500;
const UNREACHABLE = "Can't reach Harbor right now. Trying again…";
const QUEUED = "Can't reach Harbor right now. Your message will go when the connection is back.";
const SOS_QUEUED = "Can't reach Harbor right now. The lines above work without it.";
const EXPORT_NOTE = "I sent a copy of your data to this tab. It isn't kept after that.";

const byId = (id) => document.getElementById(id);
const ui = {
  chat: byId("chat"),
  log: byId("log"),
  intro: byId("intro"),
  typing: byId("typing"),
  status: byId("status"),
  form: byId("composer"),
  input: byId("message"),
  send: byId("send"),
  hint: byId("hint"),
  exit: byId("quick-exit"),
  sos: byId("sos"),
  alert: byId("alert"),
  menu: byId("menu"),
  menuButton: byId("menu-button"),
  menuClose: byId("menu-close"),
  keep: byId("keep"),
  forget: byId("forget"),
  deviceTab: byId("device-tab"),
  deviceKept: byId("device-kept"),
};

const state = load(config.retentionDays);
let socket = null;
let waitTimer = null;
let offerTimer = null;
let cardCount = 0;
let lastBotAt = 0;
let lastEscapeAt = 0;
// Quick exit in one tab closes Harbor in this browser's other tabs too.
const tabs = "BroadcastChannel" in window ? new BroadcastChannel("harbor") : null;
// Messages written before the socket client has loaded; sent as soon as it has.
const pending = [];
// A message went out and Harbor has not answered it yet (socket.io holds it while offline).
let awaiting = false;
let offlineNote = "";

function setStatus(text, connection) {
  ui.status.textContent = text;
  if (connection) document.documentElement.dataset.connection = connection;
}

function scrollToEnd() {
  ui.chat.scrollTop = ui.chat.scrollHeight;
}

function append(node) {
  ui.log.append(node);
  scrollToEnd();
}

function showTyping(on) {
  ui.typing.hidden = !on;
  if (on) scrollToEnd();
}

function stopWaiting() {
  clearTimeout(waitTimer);
  waitTimer = null;
  showTyping(false);
}

function waitForReply() {
  clearTimeout(waitTimer);
  showTyping(true);
  waitTimer = setTimeout(() => {
    showTyping(false);
    setStatus("Still waiting for Harbor. The connection may be slow; you can send it again.");
  }, REPLY_WAIT_MS);
}

function clearReplies() {
  for (const group of ui.log.querySelectorAll(".replies")) group.remove();
  for (const entry of state.messages) if (entry.from === "bot") entry.answered = true;
}

/** Says a crisis card out loud at once (assertive), not after whatever is being read. */
function announce(node) {
  ui.alert.textContent = "";
  const title = node.querySelector(".card-title")?.textContent || "";
  const text = [...node.querySelectorAll(":scope > p")].map((p) => p.textContent).join(" ");
  ui.alert.textContent = `${title}. ${text}`;
}

function showEntry(entry, live = false) {
  ui.intro.hidden = true;
  if (entry.from === "user") {
    append(render.userMessage(entry.text));
    return;
  }
  cardCount += 1;
  const image = imageSource(entry.message.image, config.socketUrl, window.location.origin);
  const node = render.botMessage(entry.message, cardCount, image);
  if (entry.local) node.dataset.source = "page";
  append(node);
  if (live && node.classList.contains("card-crisis")) announce(node);
  const replies = render.repliesOf(entry.message);
  if (replies.length && !entry.answered) append(render.quickReplies(replies, chooseReply));
  // A crisis card taller than the screen is shown from its heading, not its end.
  if (node.classList.contains("card-crisis") && node.offsetHeight > ui.chat.clientHeight / 2) {
    node.scrollIntoView({ block: "start" });
  }
}

function rememberCountry(code) {
  if (code) state.country = code;
}

function isOnline() {
  return Boolean(socket?.connected);
}

/** The crisis card from the page's own copy of the lines: no server needed. */
function showSosCard() {
  const entry = { from: "bot", local: true, message: sosMessage(state.country) };
  state.messages.push(entry);
  save(state);
  showEntry(entry, true);
}

function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

/** Sends `payload` to Harbor and shows `shown` as what the person said. */
function send(payload, shown) {
  clearReplies();
  const entry = { from: "user", text: shown };
  state.messages.push(entry);
  rememberCountry(countryFromPayload(payload));
  save(state);
  showEntry(entry);
  if (isSos(payload)) showSosCard();
  // socket.io buffers this while offline and sends it when the connection is back.
  const data = {
    message: payload,
    session_id: state.sessionId,
    metadata: { language: navigator.language || "", timezone: timeZone() },
  };
  if (socket) socket.emit("user_uttered", data);
  else pending.push(data);
  awaiting = true;
  if (isOnline()) {
    setStatus("");
    waitForReply();
  } else {
    offlineNote = isSos(payload) ? SOS_QUEUED : QUEUED;
    setStatus(offlineNote);
  }
}

/**
 * A tapped or clicked reply. Focus goes to the chat, not the message box, so a phone
 * keeps its keyboard closed; from the keyboard (Enter or Space) it goes to the box.
 */
function chooseReply(reply, event) {
  send(reply.payload, reply.title);
  if (event && event.detail === 0) {
    ui.input.focus();
  } else {
    ui.input.blur();
    ui.chat.focus({ preventScroll: true });
  }
}

/** Removes the reply buttons of earlier answers: only the newest choices stay. */
function dropStaleReplies(message) {
  const now = Date.now();
  const sameAnswer = now - lastBotAt < BURST_MS && !render.repliesOf(message).length;
  lastBotAt = now;
  if (!sameAnswer) clearReplies();
}

/** A message from Harbor: an answer, or a message it pushed (a check-in). */
function onBotMessage(data) {
  if (!data || typeof data !== "object") return;
  const message = {
    text: typeof data.text === "string" ? data.text : "",
    quick_replies: Array.isArray(data.quick_replies) ? data.quick_replies : undefined,
    custom: data.custom && typeof data.custom === "object" ? data.custom : undefined,
    image: typeof data.image === "string" ? data.image : undefined,
  };
  const answered = awaiting;
  stopWaiting();
  awaiting = false;
  setStatus("");
  const exported = message.custom?.harbor_export;
  if (exported && typeof exported === "object" && exported.data) {
    // Delivered once: shown as a download, remembered only as a note (without the data).
    append(render.exportMessage(exported));
    state.messages.push({ from: "bot", message: { text: EXPORT_NOTE } });
    save(state);
    return;
  }
  // Nothing to show (e.g. custom data meant for another client): show nothing.
  if (!message.text && !message.quick_replies?.length && !message.image && !cardKind(message)) {
    return;
  }
  dropStaleReplies(message);
  const entry = { from: "bot", message };
  state.messages.push(entry);
  rememberCountry(countryFromText(message.text));
  save(state);
  showEntry(entry, true);
  considerOffer(answered, message);
}

// --- Keeping the chat on this device (opt-in) -------------------------------------------

function fromTemplate(id) {
  return byId(id).content.firstElementChild.cloneNode(true);
}

/** Shows in the menu whether this device remembers the person, and the matching button. */
function showDeviceChoice() {
  ui.deviceTab.hidden = state.kept;
  ui.deviceKept.hidden = !state.kept;
  byId("intro-tab").hidden = state.kept;
  byId("intro-kept").hidden = !state.kept;
  ui.keep.hidden = state.kept;
  ui.forget.hidden = !state.kept;
  document.documentElement.dataset.kept = state.kept ? "yes" : "no";
}

function removeOffer() {
  clearTimeout(offerTimer);
  for (const offer of ui.log.querySelectorAll(".offer")) offer.remove();
}

function keep() {
  removeOffer();
  if (keepOnDevice(state)) append(fromTemplate("kept-note"));
  showDeviceChoice();
}

function forget() {
  removeOffer();
  forgetDevice(state);
  append(fromTemplate("forgot-note"));
  showDeviceChoice();
}

function showOffer() {
  if (state.kept || state.offered) return;
  state.offered = true;
  save(state);
  const offer = fromTemplate("keep-offer");
  for (const button of offer.querySelectorAll("button")) {
    button.addEventListener("click", () => {
      if (button.dataset.choice === "keep") keep();
      else removeOffer();
    });
  }
  append(offer);
}

/**
 * After the first answer to something the person said (not a crisis card, not SOS),
 * offers once to keep the chat on this device. It waits until the answer is complete.
 */
function considerOffer(answered, message) {
  if (state.kept || state.offered) return;
  clearTimeout(offerTimer);
  if (!answered || cardKind(message)) return;
  // Not in a conversation that has had a crisis card: that is not the moment to ask.
  if (state.messages.some((m) => m.from === "bot" && cardKind(m.message))) return;
  offerTimer = setTimeout(showOffer, OFFER_DELAY_MS);
}

function toggleMenu(open) {
  ui.menu.hidden = !open;
  ui.menuButton.setAttribute("aria-expanded", open ? "true" : "false");
  if (open) ui.menu.querySelector("h2").focus();
  else ui.menuButton.focus();
}

/** Offline: no typing dots, and nothing to send again (socket.io keeps the message). */
function wentOffline(text) {
  stopWaiting();
  setStatus(offlineNote || text, "offline");
}

function couldNotLoad() {
  setStatus("The chat could not load. Please reload the page.", "failed");
}

/**
 * Loads the socket client after the page is usable, so its bytes do not hold up the first
 * screen on a slow connection (SOS, Quick exit and the history work without it).
 */
function loadSocketClient() {
  setStatus("Connecting…", "connecting");
  if (typeof window.io === "function") {
    connect();
    return;
  }
  const script = document.createElement("script");
  script.src = SOCKET_CLIENT;
  script.addEventListener("load", connect, { once: true });
  script.addEventListener("error", couldNotLoad, { once: true });
  document.head.append(script);
}

function connect() {
  if (typeof window.io !== "function") {
    couldNotLoad();
    return;
  }
  socket = window.io(config.socketUrl, {
    path: config.socketPath,
    transports: ["websocket", "polling"],
    reconnectionDelayMax: 10000,
  });
  socket.on("connect", () => {
    if (!performance.getEntriesByName("harbor-connected").length) {
      performance.mark("harbor-connected");
    }
    offlineNote = "";
    setStatus("", "connected");
    socket.emit("session_request", { session_id: state.sessionId });
    if (awaiting) waitForReply();
  });
  socket.on("session_confirm", (sessionId) => {
    if (typeof sessionId === "string" && sessionId) {
      state.sessionId = sessionId;
      save(state);
    }
  });
  socket.on("bot_uttered", onBotMessage);
  socket.on("disconnect", () => {
    wentOffline("Connection lost. Reconnecting… your messages will be sent when it is back.");
  });
  socket.on("connect_error", () => wentOffline(UNREACHABLE));
  for (const data of pending.splice(0)) {
    data.session_id = state.sessionId;
    socket.emit("user_uttered", data);
  }
}

/** Clears this tab's chat and the socket, then leaves for a neutral site (no way Back). */
function quickExit() {
  clearTimeout(offerTimer);
  clearAll();
  try {
    tabs?.postMessage("quick-exit");
  } catch {
    /* leaving anyway */
  }
  try {
    socket?.disconnect();
  } catch {
    /* leaving anyway */
  }
  ui.log.replaceChildren();
  ui.input.value = "";
  try {
    if (window.top !== window.self) {
      window.top.location.replace(config.exitUrl);
      return;
    }
  } catch {
    /* a cross-origin parent may refuse; leave this frame instead */
  }
  window.location.replace(config.exitUrl);
}

function checkLength() {
  const length = ui.input.value.length;
  const tooLong = length > config.maxChars;
  ui.send.disabled = tooLong;
  ui.input.setAttribute("aria-invalid", tooLong ? "true" : "false");
  if (tooLong) {
    ui.hint.textContent =
      `That's a long message (${length} of ${config.maxChars} characters). ` +
      "Could you send it in parts?";
  } else if (length > config.maxChars * 0.9) {
    ui.hint.textContent = `${length} of ${config.maxChars} characters`;
  } else {
    ui.hint.textContent = "";
  }
}

function autoGrow() {
  ui.input.style.height = "auto";
  if (!ui.input.value) return; // the placeholder alone never makes the box taller
  ui.input.style.height = `${ui.input.scrollHeight}px`;
}

function onSubmit(event) {
  event.preventDefault();
  const text = ui.input.value.trim();
  if (!text) {
    ui.hint.textContent = "Type a message first — or tap SOS for crisis lines.";
    return;
  }
  if (text.length > config.maxChars) {
    checkLength();
    return;
  }
  send(text, text);
  ui.input.value = "";
  autoGrow();
  checkLength();
  ui.input.focus();
}

/** Escape twice in a row, anywhere on the page, is a Quick exit. */
function onPageKey(event) {
  if (event.key !== "Escape" || event.isComposing) return;
  const now = Date.now();
  if (now - lastEscapeAt < ESCAPE_TWICE_MS) {
    quickExit();
    return;
  }
  lastEscapeAt = now;
}

function onKeyDown(event) {
  // Enter sends, Shift+Enter starts a new line; never while an IME is composing.
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.form.requestSubmit();
  }
}

function showRetention() {
  const days = Number(config.retentionDays);
  if (days > 0) byId("retention-days").textContent = String(days);
  else byId("retention").hidden = true;
}

function start() {
  for (const entry of state.messages) showEntry(entry);
  showDeviceChoice();
  showRetention();
  ui.menu.querySelector("h2").tabIndex = -1;
  ui.menuButton.addEventListener("click", () => toggleMenu(ui.menu.hidden));
  ui.menuClose.addEventListener("click", () => toggleMenu(false));
  ui.keep.addEventListener("click", keep);
  ui.forget.addEventListener("click", forget);
  document.addEventListener("keydown", onPageKey);
  tabs?.addEventListener("message", (event) => {
    if (event.data === "quick-exit") quickExit();
  });
  ui.form.addEventListener("submit", onSubmit);
  ui.input.addEventListener("keydown", onKeyDown);
  ui.input.addEventListener("input", () => {
    autoGrow();
    checkLength();
  });
  ui.exit.addEventListener("click", quickExit);
  ui.sos.addEventListener("click", () => send("SOS", "SOS"));
  document.documentElement.dataset.ready = "true";
  loadSocketClient();
  performance.mark("harbor-ready"); // the page takes input from here on
}

start();
