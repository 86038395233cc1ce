// Hand-written help for each command.

import { GLOSSARY } from '../report/wording.js';

export const MAIN_HELP = `starve-lab: reproduce and diagnose event-loop starvation that gets heartbeat-driven workers killed
(uvicorn #360 under gunicorn), with a real master, real workers, real signals and autocannon.

Usage
  starve-lab init --from <deployment>   a scenario from your deployment: a Kubernetes manifest, a
                                        gunicorn config file, a gunicorn or uvicorn command line
  starve-lab run <scenario> [options]   run a scenario: every strategy side by side
  starve-lab check <scenario>           is it safe at its load? what the killer tolerates against the
                                        stalls measured, and changes that were run, not guessed
  starve-lab sweep <scenario> --vary …  map where each rule dies: every strategy over a grid of
                                        clients, handler time, think time, timeout, workers
  starve-lab merge <sweep-dir>… --out D combine the shards of one sweep (--shard i/n) into one envelope
  starve-lab report <run-dir>           rebuild report.json, report.md and report.html from a saved run
  starve-lab diff <run-a> <run-b>       compare two runs of one scenario (before / after a change)
  starve-lab calibrate <scenario|grid>  the model against the real gunicorn + uvicorn, case by case
  starve-lab list                       built-in scenarios, notifier and master presets
  starve-lab stacks list|install <name> the real gunicorn + uvicorn versions --stack real can run
  starve-lab <command> --help           help for one command

Options
  -h, --help      show help
  -v, --version   show the version

Examples
  npx starve-lab run cpu-burst
  npx starve-lab init --from deployment.yaml && npx starve-lab run ./api.json
  npx starve-lab run cpu-burst --time-scale 0.1 --ci --junit junit.xml
  npx starve-lab run cpu-burst --stack real
  npx starve-lab run ./my-scenario.json --out ./runs --stacks
  npx starve-lab diff reports/cpu-burst/<before> reports/cpu-burst/<after>
  npx starve-lab sweep cpu-burst --vary clients=1..4 --vary cpu=250ms..3s --time-scale 0.1
`;

/** The glossary, wrapped for an 100-column terminal. */
function glossaryText(): string {
  return GLOSSARY.map(([term, meaning]) => {
    const words = meaning.split(' ');
    const lines: string[] = [];
    let line = '';
    for (const word of words) {
      if (line.length + word.length + 1 > 72) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
    return `  ${term}\n${lines.map((l) => `      ${l}`).join('\n')}\n`;
  }).join('');
}

export const RUN_HELP = `starve-lab run <scenario> [options]

Runs a scenario (a built-in name from \`starve-lab list\`, or a path to a .json, .mjs or .js file).
Each strategy gets its own master, worker(s) and autocannon load, all at the same time, on 127.0.0.1.
The run directory gets params.json, a trace per strategy, report.json, report.md and report.html.

Options
  --time-scale F   multiply every duration (tick, master period, timeout, handlers, think time,
                   run length) by F, from 0.02 to 10; default 1 (real timing); 0.1 is ten times
                   faster. The rules count the same ticks and windows at any F, so verdicts that
                   are not near a boundary stay the same. Process start-up is kept off the scaled
                   clock (workers and load are started ahead of time); not scaled: the machine's
                   scheduling noise and your own script handlers, so races (the at-risk band, a
                   clock step against the master's check) can go either way at a different F.
                   Figures are reported in scenario time.
  --out DIR        where run directories go (DIR/<scenario>/<timestamp>/); default ./reports
  --quiet          print only the summary, no progress lines
  --ci             check the scenario's expectations: exit 0 all met, 1 one failed (a regression),
                   3 inconclusive or the lab failed (an inconclusive run never passes)
  --json           print the report JSON on stdout and nothing else there
  --junit FILE     write JUnit XML: one test case per strategy expectation
  --port P         bind strategy i's master on 127.0.0.1:P+i instead of free ports
  --repeat N       run N times (each with seed + i) and report per strategy the kill rate with a 95%
                   confidence interval and the spread of max heartbeat gaps; a plain expectation
                   must hold in every run, a rate one ({ "killRate": { "max": 0.05 } }) on the rate
  --parallel K     with --repeat: runs at a time (default: one per two cores; at most one per core)
  --stacks         before each kill, capture the worker's JavaScript stack through the V8 inspector
                   (an in-process session, no port) and show where the loop was stuck
  --clinic doctor  run the workers under Clinic.js Doctor (install @clinic/doctor first: an optional peer); its
                   HTML and verdict per worker land in the run directory and the report
  --stack S        model (default): starve-lab's Node re-creation of gunicorn + uvicorn;
                   real: the installed gunicorn and uvicorn themselves (Python; Debian: apt-get
                   install gunicorn python3-uvicorn python3-uvloop), one worker class per rule,
                   at real timing only; STARVE_LAB_PYTHON picks the interpreter. With --stacks,
                   faulthandler's Python traceback at each kill
  --python-stack N with --stack real: which gunicorn and uvicorn (\`starve-lab stacks list\`): system
                   (the interpreter's own, the default), trixie (gunicorn 23, uvicorn 0.32) or
                   newest (Debian unstable's); install them with \`starve-lab stacks install N\`
  --sequential     run the strategies one at a time. The default where the machine has fewer cores
                   than the strategies' busy workers plus one (a 2-core machine with two
                   strategies): side by side they would share cores, their ticks would wake late,
                   and a rule could be killed that a production worker with its own core survives
  --side-by-side   run the strategies at once even so (faster; the report says which it was)
  --app FILE       run your own Node HTTP server (node:http, Express, Fastify; a .mjs, .cjs or .js
                   file, unmodified) as the workers, under starve-lab's preload agent (node --import
                   starve-lab/agent): it serves the lab's socket whatever port it asks for, and
                   answers the heartbeat rule or health strategy of each column
  --app M:A        with --stack real: serve your own ASGI app (module:attribute, as gunicorn takes
                   it) instead of starve-lab's routes
                   either way the scenario's routes are "http" routes naming your paths
                   ({ "kind": "http", "method", "path", "body", "headers" })
  --app-dir DIR    with --app: the directory your app is imported from (default: here)
  -h, --help       show this help

On a terminal, each strategy's heartbeat age is shown as a bar filling toward the timeout, with kills
and requests so far; elsewhere one plain line per notable event. With GITHUB_STEP_SUMMARY set, the
Markdown summary is appended to it.

Overrides of the scenario (durations: 30 or 30s, 1500ms, 2m)
  --timeout D      gunicorn's --timeout (under "master": "uvicorn": --timeout-worker-healthcheck)
  --workers N      gunicorn's -w (uvicorn's --workers)
  --clients N      concurrent clients
  --duration D     how long the load runs
  --strategies L   notifier presets to compare, comma-separated (tick-count,wall-clock,...)
  --seed N         the seed of the request plan
  --loop L         uvloop or asyncio
  --arrivals R     an open load: R requests per second arrive whatever the server does (a Poisson
                   process), up to --clients connections; 0: closed-loop clients that wait
  --client C       the closed-loop client: autocannon (the default) or wrk (when installed: a C client
                   that sends its next request within microseconds of a response, as a proxy does)
  --proxy P        nginx (when installed): the requests go through nginx in front of the server,
                   over kept-alive upstream connections, as in most deployments; none: straight to it
  --http H         uvicorn's HTTP implementation: httptools (uvicorn[standard], the default) or h11
                   (plain pip install uvicorn); --stack real runs the one asked
  --master M       gunicorn-20 or gunicorn-22

Exit codes
  0 the run completed (with --ci: every expectation met)   1 with --ci: an expectation failed
  2 bad input   3 the lab failed (with --ci: or inconclusive)   130/143 interrupted (Ctrl-C / SIGTERM)

What the summary's rows mean
${glossaryText()}
Times: progress lines and the HTML charts count from the run's start, the summary's "first kill"
from the first worker's boot, both in scenario time; master.log has the machine's wall-clock time.
`;

export const REPORT_HELP = `starve-lab report <run-dir|series-dir|sweep-dir>

Re-analyses a saved run from its params.json and traces alone (no process is started) and rewrites
report.json, report.md and report.html, then prints the summary. Old runs can be re-rendered after an upgrade.
Given a --repeat series directory, it re-reports every run and rebuilds series.json and series.md.
Given a sweep directory, it re-reports every run of every cell and rebuilds envelope.json, .csv, .md
and .html.

Options
  --json       print the report (or the series) as JSON instead of the summary
  -h, --help   show this help
`;

export const LIST_HELP = `starve-lab list [--json]

Lists the built-in scenarios, the notifier presets (heartbeat rules) and the master presets.

Options
  --json       print them as JSON (name, description, strategies, timeout, expectations)
  -h, --help   show this help
`;

export const DIFF_HELP = `starve-lab diff <run-a> <run-b> [--markdown]

Compares two runs of the same scenario (for example before and after a code change), strategy by
strategy: outcome, kills, max heartbeat gap, margin to the timeout, failed requests; what got worse
is flagged. Both runs are re-analysed from their traces; no process is started.

Options
  --markdown   print Markdown (for a pull-request comment) instead of the terminal table
  --json       print the comparison as JSON
  -h, --help   show this help

An inconclusive strategy (a run interrupted or unable to decide) is never "better": the diff says to
re-run it. Runs made with different parameters (timeout, clients, time scale, stack...) are compared
all the same, with the differences said first.

Exit codes
  0 nothing got worse   1 something got worse in the second run   2 bad input
  3 inconclusive: a side must be re-run
`;

export const CALIBRATE_HELP = `starve-lab calibrate <scenario|grid-file> [options]

Runs each case on starve-lab's model and then on the real gunicorn + uvicorn (--stack real), one side
at a time so neither distorts the other's tick timing, with the same parameters and seed, and prints
per case and strategy: outcome (or kill rate with --repeat), first kill, max heartbeat gap, tick
interval mean, handlers per tick, requests completed / dropped by keep-alive / reset by kills, and
whether each agrees within the stated tolerances. A grid file lists cases:
  { "name": "grid", "cases": [{ "scenario": "cpu-burst", "changes": { "load": { "clients": 4 } } }] }
The real stack needs Python with gunicorn and uvicorn (see starve-lab run --help, --stack).

Options
  --repeat N       runs per side and case (kill rates with 95% intervals); default 1
  --time-scale F   the model's time scale (the real stack always runs at 1); default 1
  --out DIR        where the calibration directory goes; default ./reports
  --real-from DIR  reuse the real stack's runs of an earlier calibration directory (same cases and
                   parameters; refused otherwise): re-calibrate the model after a change in minutes;
                   or a stored reference FILE (scenarios/calibration/reference/*.json): no real stack needed
  --write-reference FILE
                   after the whole grid, store its real runs (what calibrate compares, no traces) as a
                   reference that --real-from accepts; measure it on a quiet machine
  --model-from DIR the same for the model's runs (re-compare saved runs without running anything)
  --json           print calibration.json instead of the table
  --quiet          no progress
  -h, --help       show this help

Exit codes
  0 every case agrees   1 some case disagrees   2 bad input   3 inconclusive (or the lab failed)
`;

export const SWEEP_HELP = `starve-lab sweep <scenario> --vary P=RANGE [--vary P=RANGE …] [options]

Maps where each strategy dies: every combination of the varied parameters is a cell, and every
strategy of the scenario runs at every cell (one strategy per run, strategies never side by side).
Cells near a boundary are run again: a survivor at risk, or a cell the arithmetic puts in the at-risk
band, gets 3 runs; a cell killed in some runs and not in others gets up to --max-repeat, and reports
a kill rate with its 95% interval. The sweep directory gets every run, envelope.json (versioned),
envelope.csv, envelope.md and envelope.html: per strategy a heat map of kill rates with the measured
boundary and the one the rules' arithmetic predicts (docs/semantics.md §2 and §7) drawn over it, and the
scenario's own workload marked.

What can vary (RANGE is from..to, or a list a,b,c; durations like 250ms, 1.5s, 2m, a bare number is
seconds; ranges of durations are log-spaced, counts take every whole number up to --steps of them)
  clients    concurrent closed-loop clients
  cpu        the CPU-bound handlers' mean time (each cpu route keeps its spread: 1-2 s is cpu=1.5s)
  think      each client's pause between a response and its next request
  timeout    gunicorn's --timeout (gunicorn scenarios)
  workers    gunicorn's -w (under the kubelet: containers behind the Service)
  duration   how long the load runs
  arrivals   an open load's mean arrival rate in requests/s (0.2..2, or 0.5/s): requests arrive
             whatever the server does, up to the scenario's clients as connections; no think time
  probe-timeout, probe-period, failure-threshold
             the liveness probe's timeoutSeconds, periodSeconds and failureThreshold
             ("master": "kubelet" scenarios: e.g. sweep liveness-probe --vary clients=1..4
             --vary probe-timeout=1s..10s shows how long a probe must wait to spare a busy container)
  healthcheck-timeout
             uvicorn's --timeout-worker-healthcheck ("master": "uvicorn" scenarios: e.g. sweep
             uvicorn-gil --vary healthcheck-timeout=2s..10s shows how long a GIL hold it survives)

Options
  --steps N          values per range (default 6; at most 40)
  --repeat N         runs per cell and strategy (default 1)
  --max-repeat M     the most runs a cell with mixed outcomes gets (default 6; = --repeat turns
                     adaptive repetition off). A sweep has at most 2000 cells and may come to at
                     most 20000 runs (cells × strategies × --max-repeat)
  --time-scale F     as for run: 0.1 runs ten times faster (each run's outcome holds away from a
                     boundary; near one, races can go either way, which is what repeats measure)
  --parallel K       runs at a time (default and most: one per core). Each run is checked for a
                     contended host (a worker or the load kept waiting for a CPU, handlers given less
                     than 90% of a core): one contended while others ran is thrown away (kept as
                     contended-NNN) and the sweep goes on with fewer at a time; one still contended
                     alone is kept, marked ~ and not judged (the host is busy elsewhere)
  --out DIR          the sweep directory (new or empty); default reports/sweep-<scenario>/<timestamp>
  --resume           go on with the sweep in --out (cut short by Ctrl-C, a timeout, a crash): the
                     same command plus --resume keeps every finished run and runs the rest
  --shard i/n        run only cells i, i+n, i+2n, … (every cell is in exactly one of n shards); merge
                     the shards' directories with starve-lab merge
  --stack S, --app   as for run
  --json             print envelope.json instead of the maps
  --quiet            no progress lines
  -h, --help         show this help
  and run's overrides of the fields not varied (--timeout, --clients, --duration, --strategies, …)

Exit codes
  0 every cell ran   2 bad input (nothing was started)   3 cells missing or a run failed
  130/143 interrupted (the envelope of the cells done is written, marked interrupted)

Examples
  npx starve-lab sweep cpu-burst --vary clients=1..6 --vary cpu=250ms..3s --time-scale 0.1
  npx starve-lab sweep cpu-burst --vary cpu=500ms..4s --vary timeout=10..60 --steps 5 --shard 2/4 --out shard-2
`;

export const MERGE_HELP = `starve-lab merge <sweep-dir> [<sweep-dir> …] --out DIR

Combines the directories of the shards of one sweep (starve-lab sweep --shard i/n, for example one
per job of a CI matrix) into one new sweep directory and writes its envelope, exactly as one
unsharded sweep would. Directories of different sweeps (another scenario, --vary, --steps,
strategies, --time-scale or --repeat), or two holding the same cell, are refused; cells that no
shard brought are listed.

Options
  --out DIR    the merged sweep directory (new or empty)
  --json       print envelope.json instead of the maps
  -h, --help   show this help

Exit codes
  0 every cell is there   2 bad input   3 cells are missing (a shard failed or is not given)
`;

export const STACKS_HELP = `starve-lab stacks list [--json]
starve-lab stacks install <name> [<name> …] [--json] [--quiet]

The real Python stacks \`--stack real\` can run, chosen with --python-stack NAME (or the scenario's
"pythonStack"):
  system   the interpreter's own gunicorn and uvicorn (Debian bookworm: gunicorn 20.1.0, uvicorn 0.17.6;
           sudo apt-get install gunicorn python3-uvicorn python3-uvloop python3-httptools python3-h11)
  trixie   Debian trixie's gunicorn 23 and uvicorn 0.32: gunicorn's monotonic heartbeat, uvicorn's own
           process manager (uvicorn --workers) with its fixed 5 s healthcheck
  newest   Debian unstable's (gunicorn 26, uvicorn 0.53 as of this writing): gunicorn's own ASGI worker,
           uvicorn's --timeout-worker-healthcheck

install fetches python3-gunicorn and python3-uvicorn of that suite with apt, from the Debian mirror this
machine's apt already uses, with a private apt state (the system's sources, package lists and Python
are not changed), unpacks them into the cache and checks that the interpreter imports them; both are
pure Python and run on bookworm's Python with its uvloop and httptools. Installing again replaces the
stack; an interrupted install leaves the previous one.

The cache is STARVE_LAB_CACHE, else $XDG_CACHE_HOME/starve-lab, else ~/.cache/starve-lab.

Options
  --json     print what is installed as JSON
  --quiet    no progress lines
  -h, --help show this help
`;

export const INIT_HELP = `starve-lab init --from <file-or-command> [options]

Writes a scenario that reproduces your deployment's killer with your own settings:
  - a Kubernetes manifest (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, a List, several
    documents, a Helm-rendered file): the container's livenessProbe (httpGet, tcpSocket, exec; grpc is
    not supported), its grace periods, and the command it runs;
  - a gunicorn config file (read by the installed gunicorn's own loader: config files are Python);
  - a gunicorn or uvicorn command line, in quotes (wrappers such as sh -c, exec, python -m, poetry run
    are looked through): gunicorn's worker class, -w, --timeout, --keep-alive; uvicorn's --workers,
    --timeout-worker-healthcheck, --loop, --http.
A container that runs gunicorn (or uvicorn --workers) under a liveness probe has two killers: init
writes a scenario for each (check judges them one at a time), and the pod's with both nested (NAME-pod:
the kubelet probes a container that is the master with its workers; run names the killer that struck
first). Every setting is listed with what became of it (used, defaulted, not
mapped, not needed), on the terminal and in the scenario's description. Nothing is started.

Options
  --from X         the deployment: a file, or a command line in quotes
  --container C    which container of the manifest (C or Kind/name/C), when it has several
  --clients N      concurrent clients of the load (default 1)
  --think D        each client's pause between requests (default 1s)
  --route R        a CPU-bound handler: [METHOD] [PATH] TIME, e.g. 'POST /report 1.2s' or '1-2s';
                   repeat for several (default: 1-2s, the handlers of uvicorn #360)
  --name NAME      the scenario's name (default: the workload, the config file or the server)
  --out DIR        where the scenario files go (default: the current directory)
  --force          overwrite scenario files that exist
  --json           print what was read and written as JSON
  -h, --help       show this help

Examples
  npx starve-lab init --from k8s/deployment.yaml --container web
  npx starve-lab init --from gunicorn.conf.py --clients 2 --route 'POST /report 1.2s'
  npx starve-lab init --from "gunicorn main:app -k uvicorn.workers.UvicornWorker -w 4 --timeout 60"
  npx starve-lab init --from "uvicorn main:app --workers 4"

Exit codes
  0 written   2 bad input (nothing written)
`;

export const CHECK_HELP = `starve-lab check <scenario> [options]

Runs the scenario's deployment (its first strategy: the one init --from wrote) at its stated load and
says whether it is safe, at risk or killed there. It sets what the killer tolerates (the longest stall
that cannot get a worker killed whatever its phase, the shortest that always does, how long a hung
worker lives) against the stalls measured. When it is killed or at risk, it runs each change that
could fix it (a larger timeout or probe timeout, a larger failureThreshold, the health check off the
loop, a heartbeat from a thread or on every tick, the CPU-bound work off the loop, fewer requests per
worker), one at a time, and recommends the cheapest that survived: cheapest meaning a hung worker is
still noticed soonest. A limit still too small is raised and run again, twice at most.

Options
  --time-scale F   compressed time for the model (0.1 runs ten times faster); default 1
  --stack S        model (default) or real: the real gunicorn + uvicorn (see run --help)
  --app X          your own app (see run --help); its handlers' own times are what is measured
  --app-dir DIR    with --app module:attribute: the directory it is imported from
  --strategy NAME  check this strategy of the scenario instead of its first
  --headroom       when it is safe, run it again at twice and then four times its load (clients, or an
                   open load's rate), up to the first kill: how far the load can grow
  --out DIR        where the check's directory goes (default ./reports): check.json, check.md and
                   every run's own directory
  --json           print check.json instead of the table
  --markdown       print check.md (for a pull request or a job summary)
  --quiet          no progress
  -h, --help       show this help

Examples
  npx starve-lab init --from k8s/deployment.yaml && npx starve-lab check ./api.json --time-scale 0.1
  npx starve-lab check ./gunicorn.json --stack real
  npx starve-lab check ./api.json --headroom --time-scale 0.1

Exit codes
  0 safe   1 at risk or killed (the recommendation says what survived)   2 bad input
  3 inconclusive (the machine distorted the run, or the lab failed)   130/143 interrupted
`;
