// starve-lab as a library: what `starve-lab run cpu-burst --time-scale 0.1` does, in a script.
import { runScenario, reportRun } from 'starve-lab';

const outDir = process.argv[2] ?? 'reports';
const { runDir, report } = await runScenario('cpu-burst', { timeScale: 0.1, outDir });
for (const s of report.strategies) console.log(`${s.name}: ${s.outcome}, ${s.kills} kill(s), max gap ${s.maxHeartbeatGapMs} ms`);
const again = reportRun(runDir); // rebuilt from the run directory alone
console.log(JSON.stringify({ runDir, verdict: report.verdict, rebuilt: again.kind === 'run' ? again.report.verdict : null }));
