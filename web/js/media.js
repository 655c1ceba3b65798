// Pictures in bot replies (a progress chart): only from Harbor's own server or inline.
// Pure functions over strings: no DOM here.

const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/**
 * The address to load a reply's `image` from, or "" when the page must not load it.
 * Allowed: a base64 data: URI of a PNG, JPEG, GIF or WebP picture, or an http(s) address
 * on Harbor's server (`serverUrl`, where the socket is) or on this page's own origin.
 * A relative address is read against Harbor's server.
 * @param {unknown} value the `image` of a bot reply
 * @param {string} serverUrl Harbor's server (the socket URL)
 * @param {string} pageOrigin this page's origin
 */
export function imageSource(value, serverUrl, pageOrigin) {
  if (typeof value !== "string" || !value) return "";
  if (value.startsWith("data:")) return DATA_IMAGE.test(value) ? value : "";
  let url;
  try {
    url = new URL(value, serverUrl);
  } catch {
    return "";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "";
  if (url.username || url.password) return "";
  let server = "";
  try {
    server = new URL(serverUrl).origin;
  } catch {
    server = "";
  }
  return url.origin === server || url.origin === pageOrigin ? url.href : "";
}
