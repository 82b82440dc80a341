// Throughput of the simulator's heaviest list pages: `npx tsx sim/bench-speed.ts [users] [seconds]`.
// Prints generation time and requests/second for users/search?maxResults=1000 and group/member.

import { generateState } from './generate.ts';
import { startSimulator, type Simulator } from './server.ts';
import { basicAuth } from './testing.ts';

const users = Number(process.argv[2] ?? 200_000);
const seconds = Number(process.argv[3] ?? 5);
const CONCURRENCY = 4;

async function measure(sim: Simulator, label: string, pathFor: (i: number) => string): Promise<void> {
  const headers = { authorization: basicAuth(sim, 'admin') };
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let bytes = 0;
  const worker = async (offset: number) => {
    for (let i = offset; performance.now() < deadline; i += CONCURRENCY) {
      const response = await fetch(`${sim.siteUrl}${pathFor(i)}`, { headers });
      if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status}`);
      bytes += (await response.arrayBuffer()).byteLength;
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => worker(k)));
  const elapsed = (performance.now() - started) / 1000;
  const perSecond = done / elapsed;
  process.stdout.write(
    `${label.padEnd(44)} ${perSecond.toFixed(0).padStart(6)} req/s  ${(bytes / elapsed / 1e6).toFixed(1)} MB/s\n`,
  );
}

const genStarted = performance.now();
const state = generateState({ users, seed: 42 });
process.stdout.write(`generate ${users} users: ${((performance.now() - genStarted) / 1000).toFixed(2)} s\n`);
const sim = await startSimulator({ state });
try {
  const pages = Math.ceil(users / 1000);
  await measure(
    sim,
    'GET users/search?maxResults=1000',
    (i) => `/rest/api/3/users/search?startAt=${(i % pages) * 1000}&maxResults=1000`,
  );
  const biggest = [...state.groups.values()].sort((a, b) => b.members.size - a.members.size)[0];
  if (biggest) {
    const memberPages = Math.ceil(biggest.members.size / 50);
    await measure(
      sim,
      `GET group/member?maxResults=50 (${biggest.members.size} members)`,
      (i) =>
        `/rest/api/3/group/member?groupId=${biggest.groupId}&startAt=${(i % memberPages) * 50}&maxResults=50`,
    );
  }
} finally {
  await sim.stop();
}
