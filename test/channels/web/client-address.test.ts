import { describe, expect, it } from "vitest";
import { addressFrom } from "../../../src/channels/web/client-address.js";

describe("client address", () => {
  it("uses the socket address unless proxies are trusted", () => {
    expect(addressFrom("10.0.0.2", "203.0.113.7", 0)).toBe("10.0.0.2");
    expect(addressFrom("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
  });

  it("takes the entry the trusted proxies appended, from the right, so client-written entries do not count", () => {
    expect(addressFrom("10.0.0.2", "203.0.113.7", 1)).toBe("203.0.113.7");
    expect(addressFrom("10.0.0.2", "6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    // Two proxies: the outer one appended the client, the inner one appended the outer proxy.
    expect(addressFrom("10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
    // Fewer entries than trusted proxies: the leftmost there is.
    expect(addressFrom("10.0.0.2", "203.0.113.7", 3)).toBe("203.0.113.7");
  });
});
