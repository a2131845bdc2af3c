/** The person's id inside the web chat cookie ("id.signature", URL-encoded); the store keys their data by it. */
export function webSessionId(cookie: string): string {
  const value = cookie.includes("=") ? cookie.split(";")[0].split("=").slice(1).join("=") : cookie;
  return decodeURIComponent(value).split(".")[0];
}
