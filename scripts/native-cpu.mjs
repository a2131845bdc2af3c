// Rebuilds hnswlib-node for this machine's CPU after `npm ci`. Its binding.gyp compiles hnswlib without
// architecture flags, so the distance loops use SSE only; with -march=native they use AVX2/AVX-512 where the
// CPU has them: on the 2-core bench machine the 100k graph builds ~40 % faster and a vector search takes
// ~35 % less time. The result runs only on CPUs like this one: to build node_modules for other machines
// (a container image built elsewhere), install with ORTSLOTSE_PORTABLE_NATIVE=1.
import { execFileSync } from "node:child_process";

const skip = process.env.ORTSLOTSE_PORTABLE_NATIVE === "1" || process.arch !== "x64";
if (!skip) {
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ["npm", []];
  const rebuild = (cxxflags) =>
    execFileSync(npm[0], [...npm[1], "rebuild", "hnswlib-node", "--foreground-scripts=false"], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, CXXFLAGS: `${process.env.CXXFLAGS ?? ""} ${cxxflags}`.trim() },
    });
  try {
    rebuild("-O3 -march=native");
  } catch {
    // A compiler without -march=native: keep hnswlib-node as npm built it.
    console.warn("hnswlib-node: Build für diese CPU nicht möglich, die allgemeine Fassung bleibt.");
    rebuild("");
  }
}
