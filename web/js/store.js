// Where the page keeps the conversation on this device.
//
// By default: sessionStorage only. It survives a reload in this tab and is gone when the
// tab closes, because phones and laptops get shared. Only when the person chooses "Keep
// me on this device" does it move to localStorage (under KEPT_KEY), so the next visit
// finds the chat and the session key (the server-signed id with 128 random bits that ties
// this browser to the person's streak, vault and reasons). "Forget this device" and Quick
// exit remove it at once. `country` is the code the person chose ("GB"), so SOS can show
// local lines at once.
const KEY = "harbor.chat.v1";
export const KEPT_KEY = "harbor.kept.v1";
const KEEP = 200; // messages kept; older ones are dropped
const BIG_IMAGE = 100_000; // characters: larger pictures are not kept (they are shown once)
const DAY_MS = 24 * 60 * 60 * 1000;

function empty() {
  return { sessionId: null, country: "", messages: [], kept: false, offered: false };
}

function session() {
  return window.sessionStorage;
}

function local() {
  return window.localStorage;
}

function parse(raw) {
  const data = JSON.parse(raw);
  if (!data || !Array.isArray(data.messages)) return null;
  return {
    sessionId: typeof data.sessionId === "string" ? data.sessionId : null,
    country: typeof data.country === "string" ? data.country : "",
    messages: data.messages.filter((m) => m && (m.from === "user" || m.from === "bot")),
    offered: data.offered === true,
    savedAt: typeof data.savedAt === "number" ? data.savedAt : 0,
  };
}

function read(storage, key) {
  try {
    const raw = storage().getItem(key);
    return raw ? parse(raw) : null;
  } catch {
    return null; // blocked storage or a damaged copy
  }
}

/**
 * The saved conversation: this tab's own copy first, else the one kept on this device
 * (unless it is older than `maxAgeDays`, when the server no longer has it either), else
 * an empty one.
 * @param {number} [maxAgeDays] days after which a kept copy is dropped (0: never)
 */
export function load(maxAgeDays = 0) {
  const tab = read(session, KEY);
  if (tab) return { ...tab, kept: false };
  const kept = read(local, KEPT_KEY);
  if (kept && maxAgeDays > 0 && Date.now() - kept.savedAt > maxAgeDays * DAY_MS) {
    forgetDevice();
    return empty();
  }
  return kept ? { ...kept, kept: true, offered: true } : empty();
}

function stored(message) {
  if (typeof message?.image !== "string" || message.image.length <= BIG_IMAGE) return message;
  const { image, ...rest } = message;
  return rest;
}

function serialise(state) {
  const messages = state.messages
    .slice(-KEEP)
    .map((entry) => (entry.message ? { ...entry, message: stored(entry.message) } : entry));
  const { sessionId, country, offered } = state;
  return JSON.stringify({ sessionId, country, offered, savedAt: Date.now(), messages });
}

/** Saves the conversation where it belongs; a full or blocked storage only costs the copy. */
export function save(state) {
  try {
    if (state.kept) local().setItem(KEPT_KEY, serialise(state));
    else session().setItem(KEY, serialise(state));
    return true;
  } catch {
    return false; // private mode or quota: the chat still works, it just won't be kept
  }
}

/** "Keep me on this device": moves the conversation from the tab to the browser. */
export function keepOnDevice(state) {
  state.kept = true;
  state.offered = true;
  if (!save(state)) {
    state.kept = false;
    return false;
  }
  try {
    session().removeItem(KEY);
  } catch {
    /* nothing to remove */
  }
  return true;
}

/** "Forget this device": removes the kept copy at once; this tab keeps its own. */
export function forgetDevice(state) {
  try {
    local().removeItem(KEPT_KEY);
  } catch {
    /* nothing stored */
  }
  if (state) {
    state.kept = false;
    save(state);
  }
}

/** Forgets everything this page stored: this tab's copy and the one kept on the device. */
export function clearAll() {
  try {
    session().clear();
  } catch {
    /* nothing stored */
  }
  forgetDevice();
}
