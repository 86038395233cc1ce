// JUnit XML for CI: one test case per strategy expectation; a failed expectation is a <failure>,
// an inconclusive strategy an <error> (it never passes), no expectation <skipped/>.

import type { SeriesSummary } from './aggregate-series.js';
import type { Report, StrategyReport } from './report-schema.js';
import { escapeXml as xml } from './escape.js';
import { describeExpectation, describeFindings, describeOutcome, describeSeriesStrategy } from './wording.js';

function testCase(report: Report, strategy: StrategyReport): string {
  const expected = strategy.expected === null ? 'no expectation' : `expected ${describeExpectation(strategy.expected)}`;
  const name = `${strategy.name}: ${expected}`;
  const seconds = (report.params.observedMs * report.timeScale) / 1000;
  const outcome = describeOutcome(strategy.outcome, strategy.kills, strategy.contention?.contended === true);
  const why = describeFindings(strategy.findings);
  const details = xml([`outcome: ${outcome}`, ...why].join('\n'));
  const open = `    <testcase classname="starve-lab.${xml(report.scenario)}" name="${xml(name)}" time="${seconds.toFixed(3)}">`;
  if (strategy.expected === null) return `${open}<skipped/></testcase>`;
  if (strategy.outcome === 'inconclusive') return `${open}\n      <error message="${xml(`inconclusive: ${why.join(' ')}`)}">${details}</error>\n    </testcase>`;
  if (strategy.met === false) return `${open}\n      <failure message="${xml(`${strategy.name} was ${outcome}, ${expected}`)}">${details}</failure>\n    </testcase>`;
  return `${open}<system-out>${details}</system-out></testcase>`;
}

export function renderJunit(report: Report): string {
  const cases = report.strategies.map((s) => testCase(report, s));
  const failures = report.strategies.filter((s) => s.expected !== null && s.met === false && s.outcome !== 'inconclusive').length;
  const errors = report.strategies.filter((s) => s.expected !== null && s.outcome === 'inconclusive').length;
  const skipped = report.strategies.filter((s) => s.expected === null).length;
  const seconds = ((report.params.observedMs * report.timeScale) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="starve-lab" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="starve-lab ${xml(report.scenario)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}" timestamp="${xml(report.params.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** JUnit for repeated runs: one test case per strategy expectation, judged over the whole series. */
export function renderSeriesJunit(series: SeriesSummary): string {
  const cases = series.strategies.map((s) => {
    const name = `${s.name}: ${s.expected === null ? 'no expectation' : `expected ${describeExpectation(s.expected)}`} over ${series.runs} runs`;
    const detail = xml(describeSeriesStrategy(s));
    const open = `    <testcase classname="starve-lab.${xml(series.scenario)}" name="${xml(name)}">`;
    if (s.expected === null) return `${open}<skipped/></testcase>`;
    if (s.inconclusive > 0) return `${open}\n      <error message="${detail}">${detail}</error>\n    </testcase>`;
    if (s.met === false) return `${open}\n      <failure message="${detail}">${detail}</failure>\n    </testcase>`;
    return `${open}<system-out>${detail}</system-out></testcase>`;
  });
  const failures = series.strategies.filter((s) => s.expected !== null && s.inconclusive === 0 && s.met === false).length;
  const errors = series.strategies.filter((s) => s.expected !== null && s.inconclusive > 0).length;
  const skipped = series.strategies.filter((s) => s.expected === null).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="starve-lab" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="starve-lab ${xml(series.scenario)} x${series.runs}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
